package dev.absorb.sweep;

import java.util.List;

/** The thresholds of one configuration and the curve points evaluated on the way. */
public record SweepResult(ThresholdRow row, List<CurvePoint> curve) {
}
