package dev.absorb.kernel;

import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The kernels' species: the width -Dabsorb.vector.bits asks for, else the preferred one capped at 256 bits. */
class VectorWidthTest {

    @Test
    void theKernelsRunAtTheWidthThePropertyAsksFor() {
        String asked = System.getProperty(VectorWidth.PROPERTY);
        int expected = asked != null ? Integer.parseInt(asked.strip())
                : Math.min(256, FloatVector.SPECIES_PREFERRED.vectorBitSize());
        assertEquals(expected, VectorWidth.FLOATS.vectorBitSize());
        assertEquals(expected, VectorWidth.DOUBLES.vectorBitSize());
        assertEquals(expected / Float.SIZE, KernelParts.floats().length());
        assertNull(Kernels.vectorWidthProblem());
    }

    @ParameterizedTest
    @ValueSource(ints = {128, 256, 512})
    void eachNamedWidthGivesItsSpecies(int bits) {
        assertEquals(bits, VectorWidth.Setting.floats(Integer.toString(bits)).vectorBitSize());
    }

    @ParameterizedTest
    @ValueSource(strings = {"64", "1024", "", "256 bits", "wide"})
    void anythingElseIsRefusedNamingTheChoices(String bits) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> VectorWidth.Setting.floats(bits));
        assertEquals("-Dabsorb.vector.bits=" + bits + " is not a vector width; valid: 128, 256, 512", e.getMessage());
    }

    @Test
    void aBadValueIsNamedBeforeAnyKernelLoads() {
        String set = System.getProperty(VectorWidth.PROPERTY);
        System.setProperty(VectorWidth.PROPERTY, "100");
        try {
            assertEquals("-Dabsorb.vector.bits=100 is not a vector width; valid: 128, 256, 512", Kernels.vectorWidthProblem());
        } finally {
            if (set == null) {
                System.clearProperty(VectorWidth.PROPERTY);
            } else {
                System.setProperty(VectorWidth.PROPERTY, set);
            }
        }
    }
}
