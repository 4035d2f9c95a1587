package dev.absorb.bench;

import java.util.List;

/**
 * The JVM flags every benchmark fork needs, in one place: the {@code @Fork} annotations take the
 * constants (annotation values must be compile-time constants), and the {@code bench} command
 * passes {@link #ALL} as JMH's jvmArgsAppend, which replaces the annotation's list.
 */
public final class ForkFlags {

    public static final String ADD_MODULES = "--add-modules";
    public static final String VECTOR_MODULE = "jdk.incubator.vector";
    /** Keeps the next flag from printing a line per matching method into every fork's output. */
    public static final String QUIET = "-XX:CompileCommand=quiet";
    /**
     * Each loop of the SIMD kernel compiled on its own: inlined into one caller, the vector code
     * outgrows C2's budget and the vectors are boxed (docs/decisions.md, "SIMD kernel and the JIT").
     */
    public static final String DONTINLINE_SIMD_KERNEL = "-XX:CompileCommand=dontinline,dev.absorb.kernel.Simd*::*";

    /**
     * The lane-wise math always inlined into those loops: once C2 had compiled a rounding on its
     * own, it refused to inline it ("already compiled into a medium method") and its vectors were
     * boxed (torch:bf16/rowsum=acc/logp=compute on JDK 25: 164 KB per call of 4096 logits).
     */
    public static final String INLINE_VECTOR_MATH = "-XX:CompileCommand=inline,dev.absorb.kernel.Vector*::*";

    public static final List<String> ALL = List.of(ADD_MODULES, VECTOR_MODULE, QUIET, DONTINLINE_SIMD_KERNEL, INLINE_VECTOR_MATH);

    private ForkFlags() {
    }
}
