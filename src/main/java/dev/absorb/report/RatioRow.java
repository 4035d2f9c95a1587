package dev.absorb.report;

/**
 * One row of a JVM/CPU comparison, the input of the comparison plot and table: the time ratio of
 * a benchmark in the compared run to the same benchmark in the base run (above 1: slower), its
 * confidence interval (NaN where there is none, e.g. one sample) and whether the change is
 * significant ({@link ComparedRun#ratios}, with {@code compare}'s statistics).
 */
public record RatioRow(String row, double ratio, double ciLow, double ciHigh, boolean significant) {

    public boolean hasInterval() {
        return !Double.isNaN(ciLow) && !Double.isNaN(ciHigh);
    }
}
