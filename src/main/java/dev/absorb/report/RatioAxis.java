package dev.absorb.report;

import dev.absorb.results.Numbers;
import org.knowm.xchart.style.AxesChartStyler;

import java.util.Arrays;

/**
 * A log axis for ratios, drawn by hand: values are plotted as log10 on a linear axis whose ticks
 * are labelled with 10^tick to two significant digits (0.5, 1, 2, 4 … or 0.79, 1, 1.3 on a
 * narrow range). On a log axis 2× slower and 2× faster lie equally far from 1, and one wild
 * ratio from a noisy run does not flatten the others. Error bars whose lower end is not positive
 * (JMH's error can exceed the score) run to the axis' bottom.
 */
final class RatioAxis {

    private double low = 1;
    private double high = 1;

    /** Widens the axis to show the ratio and the positive ends of its bar (NaN ends are ignored). */
    void include(double ratio, double barLow, double barHigh) {
        for (double v : new double[] {ratio, barLow, barHigh}) {
            if (v > 0 && v < Double.POSITIVE_INFINITY) {
                low = Math.min(low, v);
                high = Math.max(high, v);
            }
        }
    }

    void applyTo(AxesChartStyler styler) {
        double[] range = range();
        styler.setYAxisMin(range[0]).setYAxisMax(range[1]);
        styler.setyAxisTickLabelsFormattingFunction(RatioAxis::label);
    }

    /** The axis' ends in log10, padded by 6 % of its length (and at least ±0.05, about ±12 %). */
    double[] range() {
        double a = Math.log10(low);
        double b = Math.log10(high);
        double pad = Math.max(0.06 * (b - a), 0.05);
        return new double[] {a - pad, b + pad};
    }

    /** A bar's ends in log10, the lower one at the axis' bottom when it is not positive; NaN ends collapse to the ratio. */
    double[] bar(double ratio, double barLow, double barHigh) {
        double bottom = Double.isNaN(barLow) ? Math.log10(ratio) : barLow > 0 ? Math.log10(barLow) : range()[0];
        double top = Double.isNaN(barHigh) ? Math.log10(ratio) : Math.log10(barHigh);
        return new double[] {bottom, top};
    }

    static double[] log(double[] ratios) {
        return Arrays.stream(ratios).map(Math::log10).toArray();
    }

    /** The label of the tick at log10 value d: 10^d to two significant digits, plain. */
    static String label(double d) {
        return Numbers.significant(Math.pow(10, d), 2);
    }
}
