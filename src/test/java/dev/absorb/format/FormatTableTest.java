package dev.absorb.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The named formats match the table of REFERENCES.md / DESIGN.md §2, and Format.of parses names. */
class FormatTableTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            # name      | E | M  | bias | max finite        | min normal | min subnormal | inf   | NaN   | -0
            fp16        | 5 | 10 | 15   | 65504             | 0x1p-14    | 0x1p-24       | true  | true  | true
            bf16        | 8 | 7  | 127  | 0x1.FEp127        | 0x1p-126   | 0x1p-133      | true  | true  | true
            e3m4        | 3 | 4  | 3    | 15.5              | 0x1p-2     | 0x1p-6        | true  | true  | true
            e4m3        | 4 | 3  | 7    | 448               | 0x1p-6     | 0x1p-9        | false | true  | true
            e4m3fnuz    | 4 | 3  | 8    | 240               | 0x1p-7     | 0x1p-10       | false | true  | false
            e4m3b11fnuz | 4 | 3  | 11   | 30                | 0x1p-10    | 0x1p-13       | false | true  | false
            e5m2        | 5 | 2  | 15   | 57344             | 0x1p-14    | 0x1p-16       | true  | true  | true
            e5m2fnuz    | 5 | 2  | 16   | 57344             | 0x1p-15    | 0x1p-17       | false | true  | false
            e3m2        | 3 | 2  | 3    | 28                | 0.25       | 0.0625        | false | false | true
            e2m3        | 2 | 3  | 1    | 7.5               | 1          | 0.125         | false | false | true
            e2m1        | 2 | 1  | 1    | 6                 | 1          | 0.5           | false | false | true
            fp32        | 8 | 23 | 127  | 0x1.FFFFFEp127    | 0x1p-126   | 0x1p-149      | true  | true  | true
            tf32        | 8 | 10 | 127  | 0x1.FFCp127       | 0x1p-126   | 0x1p-136      | true  | true  | true
            """)
    void namedFormatMatchesTheReferenceTable(String name, int e, int m, int bias, double maxFinite, double minNormal,
            double minSubnormal, boolean inf, boolean nan, boolean negativeZero) {
        // when
        Format f = Format.of(name);

        // then
        assertEquals(name, f.name());
        assertEquals(e, f.exponentBits(), "exponent bits");
        assertEquals(m, f.mantissaBits(), "mantissa bits");
        assertEquals(bias, f.bias(), "bias");
        assertEquals(maxFinite, f.maxFinite(), "max finite");
        assertEquals(minNormal, f.minNormal(), "min normal");
        assertEquals(minSubnormal, f.minSubnormal(), "min subnormal");
        assertEquals(inf, f.hasInfinity(), "has inf");
        assertEquals(nan, f.hasNaN(), "has NaN");
        assertEquals(negativeZero, f.hasNegativeZero(), "has -0");
        assertEquals(1 + e + m, f.storageBits());
        assertEquals(m + 1, f.precision());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"fp32, 3.403e38", "tf32, 3.401e38", "bf16, 3.390e38", "fp64, 1.797e308"})
    void designTableRoundedMaxima(String name, double rounded) {
        double max = Format.of(name).maxFinite();
        assertEquals(rounded, max, rounded * 5e-4, name);
    }

    @Test
    void fp64AndFp32AreTheJavaTypes() {
        assertEquals(Double.MAX_VALUE, Format.FP64.maxFinite());
        assertEquals(Double.MIN_NORMAL, Format.FP64.minNormal());
        assertEquals(Double.MIN_VALUE, Format.FP64.minSubnormal());
        assertEquals(Float.MAX_VALUE, Format.FP32.maxFinite());
        assertEquals(Float.MIN_NORMAL, Format.FP32.minNormal());
        assertEquals(Float.MIN_VALUE, Format.FP32.minSubnormal());
    }

    @Test
    void theOracleDerivesTheSameLimitsFromTheEncoding() {
        for (Format f : Format.named()) {
            if (f.isFp64()) {
                continue;
            }
            ExactRounding exact = ExactRounding.of(f);
            assertEquals(exact.maxFinite().doubleValue(), f.maxFinite(), f.name());
            assertEquals(exact.minNormal().doubleValue(), f.minNormal(), f.name());
            assertEquals(exact.minSubnormal().doubleValue(), f.minSubnormal(), f.name());
        }
    }

    @Test
    void e2m1HasExactlyTheEightMagnitudesOfTheMxSpec() {
        // given
        Format e2m1 = Format.of("e2m1");

        // when
        List<Double> magnitudes = java.util.stream.LongStream.range(0, 8).mapToDouble(e2m1::decode).boxed()
                .collect(Collectors.toList());
        List<Double> negatives = java.util.stream.LongStream.range(8, 16).mapToDouble(e2m1::decode).boxed()
                .collect(Collectors.toList());

        // then
        assertEquals(List.of(0.0, 0.5, 1.0, 1.5, 2.0, 3.0, 4.0, 6.0), magnitudes);
        assertEquals(List.of(-0.0, -0.5, -1.0, -1.5, -2.0, -3.0, -4.0, -6.0), negatives);
    }

    @Test
    void namedFormatsComeInDesignOrder() {
        List<String> names = Format.named().stream().map(Format::name).collect(Collectors.toList());
        assertEquals(List.of("fp64", "fp32", "tf32", "bf16", "fp16", "e5m2", "e4m3", "e4m3fnuz", "e5m2fnuz",
                "e4m3b11fnuz", "e3m4", "e3m2", "e2m3", "e2m1"), names);
    }

    @Test
    void unknownNameIsRejectedWithTheValidChoices() {
        // when
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Format.of("bf17"));

        // then
        assertTrue(e.getMessage().contains("bf17"), e.getMessage());
        for (Format f : Format.named()) {
            assertTrue(e.getMessage().contains(f.name()), "message should list " + f.name() + ": " + e.getMessage());
        }
        assertTrue(e.getMessage().contains("eXmY"), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource({"bf17", "fp8", "e9m2", "e1m2", "e0m3", "e4m0", "e4m24", "E4M3", "e4m3FN", "''", "e4m3fnuzz"})
    void malformedOrOutOfRangeNamesAreRejected(String name) {
        assertThrows(IllegalArgumentException.class, () -> Format.of(name));
    }

    @Test
    void customIeeeLikeFormatHasIeeeBiasAndInfinities() {
        // when
        Format e6m5 = Format.of("e6m5");

        // then
        assertEquals(31, e6m5.bias());
        assertEquals(Format.Specials.IEEE, e6m5.specials());
        assertTrue(e6m5.hasInfinity());
        // top finite: field 62, mantissa 11111 -> (2 - 2^-5) * 2^31
        assertEquals((2 - 0x1p-5) * 0x1p31, e6m5.maxFinite());
    }

    @Test
    void customFnFormatSpendsOnlyTheAllOnesCodeOnNaN() {
        // when
        Format e4m3fn = Format.of("e4m3fn");

        // then: the same grid as the named OCP e4m3
        assertEquals(Format.Specials.FN, e4m3fn.specials());
        assertFalse(e4m3fn.hasInfinity());
        assertEquals(448.0, e4m3fn.maxFinite());
        assertTrue(Double.isNaN(e4m3fn.decode(0x7F)));
        assertEquals(448.0, e4m3fn.decode(0x7E));
    }

    @Test
    void customSpellingOfANamedMxFormatIsTheNamedFormat() {
        assertEquals(Format.Specials.NONE, Format.of("e3m2").specials());
        assertEquals(28.0, Format.of("e3m2").maxFinite());
    }

    @Test
    void e8m23IsFp32sGrid() {
        Format custom = Format.of("e8m23");
        assertEquals(Format.FP32.maxFinite(), custom.maxFinite());
        assertEquals(Format.FP32.minSubnormal(), custom.minSubnormal());
    }
}
