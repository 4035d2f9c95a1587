package dev.absorb.format;

/**
 * Counter-based random bits for stochastic rounding: a pure function of (seed, operation id,
 * element index), so a rounded value never depends on lane count, thread, JVM or the order in
 * which values are evaluated (DESIGN.md §2).
 *
 * <p>Only 32-bit integer multiply, xor and shift are used, so a SIMD kernel computes the same
 * bits with {@code IntVector} lanes. The mixer is MurmurHash3's fmix32 finaliser (Appleby), a
 * bijection with full avalanche; the per-operation key is mixed once, the per-element step is one
 * multiply, one xor and one fmix32.
 */
public final class RandomBits {

    private static final int GOLDEN = 0x9E3779B9;
    /** The per-element multiplier; public for the SIMD kernel, which computes the same bits in lanes. */
    public static final int INDEX_MULTIPLIER = 0x27D4EB2D;

    private RandomBits() {
    }

    /** The key of one operation under one seed; combine with {@link #of(int, int)} per element. */
    public static int key(long seed, int operation) {
        return fmix32((int) seed ^ fmix32((int) (seed >>> 32) + operation * GOLDEN));
    }

    /** 32 uniformly distributed bits for element {@code index} of the operation {@code key}. */
    public static int of(int key, int index) {
        return fmix32(key ^ index * INDEX_MULTIPLIER);
    }

    /** fmix32's two multipliers; public for the SIMD kernel, which mixes the same way in lanes. */
    public static final int FMIX_MULTIPLIER_1 = 0x85EBCA6B;
    public static final int FMIX_MULTIPLIER_2 = 0xC2B2AE35;

    static int fmix32(int h) {
        h ^= h >>> 16;
        h *= FMIX_MULTIPLIER_1;
        h ^= h >>> 13;
        h *= FMIX_MULTIPLIER_2;
        h ^= h >>> 16;
        return h;
    }
}
