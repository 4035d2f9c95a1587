package dev.absorb.bench;

import dev.absorb.format.Rounding;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * Method handles on the package-private pieces of {@code dev.absorb.kernel} that the SIMD kernel
 * is built from — the exp polynomial (scalar and lane-wise) and the lane-wise rounding — so their
 * throughput is measured on the very code the kernel runs, without making them public API
 * (docs/decisions.md, "Benchmarks of kernel internals"). The handles are {@code static final}:
 * C2 treats them as constants and inlines the target, so a vector passed through one is not
 * boxed. A renamed or re-typed member fails here, loudly, and in KernelInternalsTest.
 */
final class KernelInternals {

    private static final String KERNEL = "dev.absorb.kernel.";

    /** {@code float ExpPoly.exp(float)}. */
    static final MethodHandle EXP_POLY = find("ExpPoly", "exp", MethodType.methodType(float.class, float.class));
    /** {@code FloatVector VectorExp.exp(FloatVector)}: the same polynomial lane-wise. */
    static final MethodHandle EXP_POLY_VECTOR = find("VectorExp", "exp",
            MethodType.methodType(FloatVector.class, FloatVector.class));
    /** {@code new VectorRounding(Rounding)}, typed {@code (Rounding) → Object}. */
    static final MethodHandle NEW_VECTOR_ROUNDING = constructor("VectorRounding", Rounding.class);
    /** {@code FloatVector VectorRounding.round(FloatVector)}, typed {@code (Object, FloatVector) → FloatVector}. */
    static final MethodHandle VECTOR_ROUND = virtual("VectorRounding", "round",
            MethodType.methodType(FloatVector.class, FloatVector.class));
    /** {@code static boolean VectorRounding.supports(Rounding)}. */
    static final MethodHandle VECTOR_ROUNDING_SUPPORTS = find("VectorRounding", "supports",
            MethodType.methodType(boolean.class, Rounding.class));
    /** The float species every vector kernel uses ({@code VectorRounding.FLOATS}). */
    static final VectorSpecies<Float> FLOATS = floats();

    private KernelInternals() {
    }

    static float expPoly(float x) {
        try {
            return (float) EXP_POLY.invokeExact(x);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static FloatVector expPoly(FloatVector x) {
        try {
            return (FloatVector) EXP_POLY_VECTOR.invokeExact(x);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** A VectorRounding for {@code rounding}, or an IllegalArgumentException if lanes cannot round to it. */
    static Object vectorRounding(Rounding rounding) {
        try {
            if (!(boolean) VECTOR_ROUNDING_SUPPORTS.invokeExact(rounding)) {
                throw new IllegalArgumentException("no vector rounding to " + rounding);
            }
            return (Object) NEW_VECTOR_ROUNDING.invokeExact(rounding);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static FloatVector round(Object vectorRounding, FloatVector x) {
        try {
            return (FloatVector) VECTOR_ROUND.invokeExact(vectorRounding, x);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private static MethodHandles.Lookup lookup(String simpleName) throws ReflectiveOperationException {
        Class<?> type = Class.forName(KERNEL + simpleName);
        return MethodHandles.privateLookupIn(type, MethodHandles.lookup());
    }

    private static MethodHandle find(String simpleName, String method, MethodType type) {
        try {
            MethodHandles.Lookup lookup = lookup(simpleName);
            return lookup.findStatic(lookup.lookupClass(), method, type);
        } catch (ReflectiveOperationException e) {
            throw missing(simpleName + "." + method + type, e);
        }
    }

    private static MethodHandle virtual(String simpleName, String method, MethodType type) {
        try {
            MethodHandles.Lookup lookup = lookup(simpleName);
            MethodHandle h = lookup.findVirtual(lookup.lookupClass(), method, type);
            return h.asType(h.type().changeParameterType(0, Object.class));
        } catch (ReflectiveOperationException e) {
            throw missing(simpleName + "." + method + type, e);
        }
    }

    private static MethodHandle constructor(String simpleName, Class<?> parameter) {
        try {
            MethodHandles.Lookup lookup = lookup(simpleName);
            MethodHandle h = lookup.findConstructor(lookup.lookupClass(), MethodType.methodType(void.class, parameter));
            return h.asType(h.type().changeReturnType(Object.class));
        } catch (ReflectiveOperationException e) {
            throw missing(simpleName + "(" + parameter.getSimpleName() + ")", e);
        }
    }

    @SuppressWarnings("unchecked")
    private static VectorSpecies<Float> floats() {
        try {
            MethodHandles.Lookup lookup = lookup("VectorRounding");
            return (VectorSpecies<Float>) lookup.findStaticGetter(lookup.lookupClass(), "FLOATS", VectorSpecies.class).invoke();
        } catch (Throwable e) {
            throw missing("VectorRounding.FLOATS", e);
        }
    }

    private static IllegalStateException missing(String member, Throwable cause) {
        return new IllegalStateException(KERNEL + member + " not found: the benchmarks reach this kernel internal by name "
                + "(docs/decisions.md, \"Benchmarks of kernel internals\"); update KernelInternals", cause);
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException) {
            return (RuntimeException) t;
        }
        if (t instanceof Error) {
            throw (Error) t;
        }
        return new IllegalStateException(t);
    }
}
