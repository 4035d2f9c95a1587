package dev.absorb.bench;

import dev.absorb.format.Format;

/**
 * The row of fp32 logits the plain baselines ({@link PlainLoops}) read, with its target and a
 * gradient array: the same family, class count and gap as the kernels' row, stored in fp32.
 */
record BaselineRow(float[] logits, int target, float[] gradient) {

    static BaselineRow of(String family, int classes, double gap) {
        Logits input = Logits.of(family, classes, gap, Format.FP32);
        return new BaselineRow(input.floats(), input.target(), new float[classes]);
    }
}
