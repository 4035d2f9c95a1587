package dev.absorb.kernel;

import dev.absorb.format.RandomBits;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** {@link RandomBits#of} for consecutive element indices, one per lane: the same bits. */
final class VectorRandomBits {

    private static final VectorSpecies<Integer> INTS = VectorWidth.FLOATS.withLanes(int.class);
    private static final IntVector IOTA = IntVector.zero(INTS).addIndex(1);

    private VectorRandomBits() {
    }

    /** Lane l holds {@code RandomBits.of(key, first + l)}. */
    static IntVector of(int key, int first) {
        IntVector h = IOTA.add(first).mul(RandomBits.INDEX_MULTIPLIER).lanewise(VectorOperators.XOR, key);
        h = h.lanewise(VectorOperators.XOR, h.lanewise(VectorOperators.LSHR, 16)).mul(RandomBits.FMIX_MULTIPLIER_1);
        h = h.lanewise(VectorOperators.XOR, h.lanewise(VectorOperators.LSHR, 13)).mul(RandomBits.FMIX_MULTIPLIER_2);
        return h.lanewise(VectorOperators.XOR, h.lanewise(VectorOperators.LSHR, 16));
    }
}
