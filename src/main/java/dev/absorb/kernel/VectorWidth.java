package dev.absorb.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The vector species of every SIMD kernel, chosen once per JVM: {@code -Dabsorb.vector.bits=128},
 * {@code 256} or {@code 512}, by default the preferred width capped at 256 bits (8 float lanes,
 * the default {@code lanes}). The width changes the code paths (and the time), never the bits.
 *
 * <p>Species must be compile-time constants (static final): operations on a species read from a
 * field are not intrinsified and box every vector. A bad value fails this class's
 * initialization, so no kernel runs at a width nobody asked for.
 */
final class VectorWidth {

    /** The system property that sets the width. */
    static final String PROPERTY = "absorb.vector.bits";

    /** Float lanes of the chosen width. */
    static final VectorSpecies<Float> FLOATS = Setting.floats(System.getProperty(PROPERTY));
    /** Double lanes of the same shape: a float vector converts to two of them. */
    static final VectorSpecies<Double> DOUBLES = VectorSpecies.of(double.class, FLOATS.vectorShape());

    private VectorWidth() {
    }

    /** The property's values, apart from the species: a bad value can be named before they exist. */
    /**
     * v, a vector of {@link #FLOATS} carried around a loop, into a at offset. The loop's phi loses
     * v's class, and where FloatVector.intoArray's profile had also seen a narrower shape (the
     * staged roundings store 128-bit floats), JDK 17's C2 stored it out of line and boxed v every
     * step (fp16/acc=fp32/grad=div: 8 B per element). reinterpretShape names the class again.
     */
    static void storeCarried(FloatVector v, float[] a, int offset) {
        ((FloatVector) v.reinterpretShape(FLOATS, 0)).intoArray(a, offset);
    }

    static final class Setting {

        private Setting() {
        }

        /**
         * The float species for a value of {@link #PROPERTY} (null: the default).
         *
         * @throws IllegalArgumentException for anything but 128, 256 or 512, naming those
         */
        static VectorSpecies<Float> floats(String bits) {
            if (bits == null) {
                return FloatVector.SPECIES_PREFERRED.vectorBitSize() >= 256 ? FloatVector.SPECIES_256 : FloatVector.SPECIES_PREFERRED;
            }
            switch (bits.strip()) {
                case "128": return FloatVector.SPECIES_128;
                case "256": return FloatVector.SPECIES_256;
                case "512": return FloatVector.SPECIES_512;
                default:
                    throw new IllegalArgumentException("-D" + PROPERTY + "=" + bits + " is not a vector width; valid: 128, 256, 512");
            }
        }

        /** Why this JVM's value of {@link #PROPERTY} is refused, or null where it is valid or unset. */
        static String problem() {
            try {
                floats(System.getProperty(PROPERTY));
                return null;
            } catch (IllegalArgumentException e) {
                return e.getMessage();
            }
        }
    }
}
