package dev.absorb.bench;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * {@code Float.floatToFloat16} (JDK 20+, an intrinsic on x86 with F16C), found at run time: the
 * project compiles for Java 17, where the method does not exist. A baseline for fp16 rounding.
 */
public final class JdkFloat16 {

    /** The first Java feature release with {@code Float.floatToFloat16}. */
    public static final int SINCE = 20;

    /** The method, or null on an older JDK. Static final, so C2 inlines a call through it. */
    private static final MethodHandle FLOAT_TO_FLOAT16 = find();

    private JdkFloat16() {
    }

    static boolean available() {
        return FLOAT_TO_FLOAT16 != null;
    }

    static short floatToFloat16(float x) {
        try {
            return (short) FLOAT_TO_FLOAT16.invokeExact(x);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private static MethodHandle find() {
        try {
            return MethodHandles.publicLookup().findStatic(Float.class, "floatToFloat16",
                    MethodType.methodType(short.class, float.class));
        } catch (NoSuchMethodException | IllegalAccessException olderJdk) {
            return null;
        }
    }
}
