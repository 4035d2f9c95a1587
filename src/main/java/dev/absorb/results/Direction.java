package dev.absorb.results;

/**
 * Which way is better for a JMH mode: lower for the time modes (avgt, sample, ss), higher for
 * throughput (thrpt). A "slowdown" is always measured as time per operation, so 10 % slower
 * means the same thing in every mode: 1.1× the time, or 1/1.1 of the throughput.
 */
public enum Direction {
    LOWER_IS_BETTER,
    HIGHER_IS_BETTER;

    static Direction ofMode(String mode) {
        switch (mode) {
            case "thrpt":
                return HIGHER_IS_BETTER;
            case "avgt":
            case "sample":
            case "ss":
                return LOWER_IS_BETTER;
            default:
                throw new IllegalArgumentException("unknown JMH mode '" + mode + "'; valid: thrpt, avgt, sample, ss");
        }
    }

    /** The factor by which the time per operation grew from a score ratio (current / baseline). */
    public double timeFactor(double scoreRatio) {
        return this == LOWER_IS_BETTER ? scoreRatio : 1 / scoreRatio;
    }
}
