package dev.absorb.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static dev.absorb.kernel.Ieee754.FLOAT_FRACTION_BITS;

/**
 * The error of the float exps the kernels use — {@code exp=poly} ({@link VectorExp}, bit for bit
 * {@link ExpPoly}) and {@code exp=jdk} (the Vector API's EXP) — over every float in a range.
 *
 * <p>Reference: {@code StrictMath.exp} of the float, in double (fdlibm, error below 1 double ulp,
 * i.e. below 2^−29 of a float ulp). The error of a result is |result − reference| in units of
 * the float ulp at the reference (2^(e − 23) for a reference in [2^e, 2^(e+1)), at least float's
 * smallest subnormal), so the figures are exact to about 2^−29 ulp. A result is counted as
 * correctly rounded when it equals the reference rounded to float and the reference is not
 * within one double ulp of a float midpoint (where fdlibm's error could flip the rounding; such
 * inputs are counted apart as undecided).
 */
public final class ExpAccuracy {

    private static final VectorSpecies<Float> FLOATS = VectorWidth.FLOATS;

    /** The worst error of one implementation over the scanned floats. */
    public record Result(String implementation, long inputs, double maxUlps, float worstInput, long notCorrectlyRounded, long undecided) {
    }

    private ExpAccuracy() {
    }

    /** Scans every float in [from, to] (both finite, from ≤ to) on {@code threads} threads. */
    public static List<Result> scan(float from, float to, int threads) throws InterruptedException {
        // Many small blocks rather than one per thread: the threads share the work evenly, and
        // each block is a fresh call of a compiled method (one endless loop per thread ran
        // 10× slower after its first deoptimisation).
        List<int[]> ranges = split(from, to, 1 << 22);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Partial[]>> futures = new ArrayList<>();
            for (int[] range : ranges) {
                futures.add(pool.submit(() -> scanOrdered(range[0], range[1])));
            }
            Partial poly = new Partial();
            Partial jdk = new Partial();
            for (Future<Partial[]> f : futures) {
                Partial[] p = f.get();
                poly.merge(p[0]);
                jdk.merge(p[1]);
            }
            return List.of(poly.result("exp=poly"), jdk.result("exp=jdk"));
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    /** Floats as ordered ints (negatives mapped below positives), in blocks of {@code size}. */
    private static List<int[]> split(float from, float to, long size) {
        long lo = ordered(from);
        long hi = ordered(to);
        List<int[]> ranges = new ArrayList<>();
        for (long start = lo; start <= hi; start += size) {
            ranges.add(new int[] {(int) start, (int) Math.min(hi, start + size - 1)});
        }
        return ranges;
    }

    private static long ordered(float x) {
        int bits = Float.floatToRawIntBits(x == 0 ? 0f : x);
        return bits < 0 ? -(long) (bits & 0x7FFF_FFFF) : bits;
    }

    private static float fromOrdered(long o) {
        return o < 0 ? Float.intBitsToFloat((int) (-o) | 0x8000_0000) : Float.intBitsToFloat((int) o);
    }

    private static Partial[] scanOrdered(long lo, long hi) {
        Partial poly = new Partial();
        Partial jdk = new Partial();
        int width = FLOATS.length();
        float[] in = new float[width];
        float[] outPoly = new float[width];
        float[] outJdk = new float[width];
        for (long o = lo; o <= hi; o += width) {
            int count = (int) Math.min(width, hi - o + 1);
            for (int l = 0; l < width; l++) {
                in[l] = fromOrdered(o + Math.min(l, count - 1));
            }
            FloatVector x = FloatVector.fromArray(FLOATS, in, 0);
            VectorExp.exp(x).intoArray(outPoly, 0);
            x.lanewise(VectorOperators.EXP).intoArray(outJdk, 0);
            for (int l = 0; l < count; l++) {
                double reference = StrictMath.exp(in[l]);
                poly.add(in[l], outPoly[l], reference);
                jdk.add(in[l], outJdk[l], reference);
            }
        }
        return new Partial[] {poly, jdk};
    }

    private static final class Partial {
        long inputs;
        double maxUlps = -1;
        float worst = Float.NaN;
        long notCorrectlyRounded;
        long undecided;

        void add(float x, float result, double reference) {
            inputs++;
            double ulp = ulpAt(reference);
            float nearest = (float) reference;
            double error;
            if (Float.isInfinite(result) || Float.isInfinite(nearest)) {
                // Past float's range the correctly rounded result is inf: inf there is exact,
                // inf anywhere else or a finite result there is counted as one ulp off.
                error = result == nearest ? 0 : 1;
            } else {
                error = result == reference ? 0 : Math.abs(result - reference) / ulp;
            }
            if (error > maxUlps) {
                maxUlps = error;
                worst = x;
            }
            double midpointDistance = Math.abs(Math.abs(reference - nearest) - ulp / 2);
            if (midpointDistance <= Math.ulp(reference)) {
                undecided++;
            } else if (result != nearest) {
                notCorrectlyRounded++;
            }
        }

        void merge(Partial p) {
            inputs += p.inputs;
            if (p.maxUlps > maxUlps) {
                maxUlps = p.maxUlps;
                worst = p.worst;
            }
            notCorrectlyRounded += p.notCorrectlyRounded;
            undecided += p.undecided;
        }

        Result result(String name) {
            return new Result(name, inputs, maxUlps, worst, notCorrectlyRounded, undecided);
        }

        /** The float ulp at a real value: 2^(e − 23) with 2^e ≤ |v| < 2^(e+1), at least 2^−149. */
        private static double ulpAt(double v) {
            double a = Math.abs(v);
            if (a < 0x1p-126) {
                return 0x1p-149;
            }
            return Math.scalb(1.0, Math.getExponent(a) - FLOAT_FRACTION_BITS);
        }
    }
}
