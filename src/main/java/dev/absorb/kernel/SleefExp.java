package dev.absorb.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/** TEMPORARY scratch version, replaced by the verified port. */
final class SleefExp {
    private SleefExp() {
    }

    static float exp(float d) {
        float q = (float) Math.rint(d * 1.442695040888963407359924681001892137426645954152985934135449406931f);
        int qi = (int) q;
        float s = Math.fma(q, -0.693145751953125f, d);
        s = Math.fma(q, -1.428606765330187045e-06f, s);
        float u = 0.000198527617612853646278381f;
        u = Math.fma(u, s, 0.00139304355252534151077271f);
        u = Math.fma(u, s, 0.00833336077630519866943359f);
        u = Math.fma(u, s, 0.0416664853692054748535156f);
        u = Math.fma(u, s, 0.166666671633720397949219f);
        u = Math.fma(u, s, 0.5f);
        u = 1.0f + Math.fma(s * s, u, s);
        int h = qi >> 1;
        u = u * Float.intBitsToFloat((h + 127) << 23) * Float.intBitsToFloat((qi - h + 127) << 23);
        if (d < -104) u = 0;
        if (d > 100) u = Float.POSITIVE_INFINITY;
        return u;
    }

    static FloatVector exp(FloatVector d) {
        float[] a = d.toArray();
        for (int i = 0; i < a.length; i++) {
            a[i] = exp(a[i]);
        }
        return FloatVector.fromArray(d.species(), a, 0);
    }
}
