package dev.absorb.report;

import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.Color;
import java.util.ArrayList;
import java.util.List;

/**
 * Colours and markers by recipe variant (the recipe without its format: "" for the default,
 * "acc=fp32", "grad=complement" …), so a variant looks the same in every plot of a run: the
 * default recipe is always black, acc=fp32 always the same orange. Colours are Okabe and Ito's
 * colour-blind-safe set (yellow replaced by olive, which reads on white), then Paul Tol's muted
 * set; markers differ too, for print in grey.
 */
final class Palette {

    private static final Color[] COLORS = {
        new Color(0x000000), new Color(0xE69F00), new Color(0x56B4E9), new Color(0x009E73), new Color(0x0072B2),
        new Color(0xD55E00), new Color(0xCC79A7), new Color(0x999933), new Color(0x882255), new Color(0x44AA99),
        new Color(0x332288), new Color(0xAA4499), new Color(0x117733), new Color(0x88CCEE),
    };
    private static final Marker[] MARKERS = {
        SeriesMarkers.CIRCLE, SeriesMarkers.SQUARE, SeriesMarkers.DIAMOND, SeriesMarkers.TRIANGLE_UP,
        SeriesMarkers.TRIANGLE_DOWN, SeriesMarkers.CROSS, SeriesMarkers.PLUS, SeriesMarkers.OVAL, SeriesMarkers.RECTANGLE,
    };

    private final List<String> variants;

    private Palette(List<String> variants) {
        this.variants = variants;
    }

    /** A palette for these recipes, variants numbered in order of first appearance (the default first). */
    static Palette of(List<String> recipes) {
        List<String> variants = new ArrayList<>();
        variants.add("");
        for (String recipe : recipes) {
            String variant = variant(recipe);
            if (!variants.contains(variant)) {
                variants.add(variant);
            }
        }
        return new Palette(variants);
    }

    Color color(String recipe) {
        return COLORS[index(recipe) % COLORS.length];
    }

    Marker marker(String recipe) {
        return MARKERS[index(recipe) % MARKERS.length];
    }

    private int index(String recipe) {
        int i = variants.indexOf(variant(recipe));
        return i >= 0 ? i : variants.size();
    }

    /** "acc=fp32/compute=fp32" of "bf16/acc=fp32/compute=fp32"; "" of "bf16". */
    static String variant(String recipe) {
        int slash = recipe.indexOf('/');
        return slash < 0 ? "" : recipe.substring(slash + 1);
    }
}
