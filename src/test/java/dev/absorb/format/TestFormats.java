package dev.absorb.format;

import java.util.List;
import java.util.stream.Stream;

/** The formats the suite walks code by code, and small helpers shared by the tests. */
final class TestFormats {

    /** Every named format of at most 16 bits: small enough to enumerate every code. */
    static final List<String> ENUMERABLE = List.of(
            "bf16", "fp16", "e5m2", "e4m3", "e4m3fnuz", "e5m2fnuz", "e4m3b11fnuz", "e3m4", "e3m2", "e2m3", "e2m1");

    /** The formats of at most 8 bits. */
    static final List<String> SMALL = ENUMERABLE.subList(2, ENUMERABLE.size());

    /** The deterministic rounding modes. */
    static final List<RoundingMode> DETERMINISTIC = List.of(
            RoundingMode.RNE, RoundingMode.RNA, RoundingMode.RTZ, RoundingMode.RUP, RoundingMode.RDN, RoundingMode.RTO);

    private TestFormats() {
    }

    static Stream<String> enumerable() {
        return ENUMERABLE.stream();
    }

    static Stream<String> small() {
        return SMALL.stream();
    }

    /** The number of codes of a format: 2^storageBits. */
    static long codeCount(Format f) {
        return 1L << f.storageBits();
    }

    /** Same double, bit for bit, apart from the NaN payload: tells −0 from +0. */
    static boolean same(double a, double b) {
        return Double.doubleToLongBits(a) == Double.doubleToLongBits(b);
    }

    static String show(double x) {
        return x + " (" + Double.toHexString(x) + ")";
    }
}
