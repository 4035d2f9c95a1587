package dev.absorb.kernel;

/** The shape checks every kernel entry point makes before it reads a row. */
final class RowArguments {

    private RowArguments() {
    }

    /**
     * 1 ≤ n ≤ zLength, 0 ≤ y &lt; n, and gradLength ≥ n unless it is negative (no gradient asked).
     *
     * @throws IllegalArgumentException naming the values
     */
    static void check(int n, int y, int zLength, int gradLength) {
        if (n < 1 || y < 0 || y >= n || zLength < n || gradLength >= 0 && gradLength < n) {
            throw new IllegalArgumentException("need 1 <= n <= z.length, 0 <= y < n and grad.length >= n; got n=" + n
                    + ", y=" + y + ", z.length=" + zLength + ", grad.length=" + (gradLength < 0 ? "-" : gradLength));
        }
    }
}
