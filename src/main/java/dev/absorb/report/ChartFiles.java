package dev.absorb.report;

import dev.absorb.results.AtomicFile;
import de.erichseifert.vectorgraphics2d.VectorGraphics2D;
import de.erichseifert.vectorgraphics2d.svg.SVGProcessor;
import de.erichseifert.vectorgraphics2d.util.PageSize;

import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;

/**
 * Writes a {@link Figure} as PNG (Java2D on a headless image, ImageIO's PNG writer, which adds
 * no time stamp) and SVG (VectorGraphics2D, the library XChart itself uses for SVG), each to a
 * temporary file first and renamed into place. The panels are painted one below the other into
 * the same canvas.
 */
final class ChartFiles {

    private static final Pattern DECIMAL = Pattern.compile("-?\\d+\\.\\d+(?:[eE]-?\\d+)?");

    private ChartFiles() {
    }

    /** Writes {@code name.png} and {@code name.svg} into {@code folder}; returns the PNG's path. */
    static Path write(Figure figure, Path folder) throws IOException {
        Path png = png(figure, folder);
        AtomicFile.write(png, out -> writePng(figure, out));
        AtomicFile.write(svg(figure, folder), out -> writeSvg(figure, out));
        return png;
    }

    static Path png(Figure figure, Path folder) {
        return folder.resolve(figure.name() + ".png");
    }

    static Path svg(Figure figure, Path folder) {
        return folder.resolve(figure.name() + ".svg");
    }

    static void writePng(Figure figure, OutputStream out) throws IOException {
        BufferedImage image = new BufferedImage(figure.width(), figure.height(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            paint(figure, g);
        } finally {
            g.dispose();
        }
        // A plot fits in memory; ImageIO's default file cache goes to java.io.tmpdir, and after a
        // failed write (a full disk) its close at JVM exit throws a NullPointerException of its own.
        ImageIO.setUseCache(false);
        if (!ImageIO.write(image, "png", out)) {
            throw new IOException("no PNG writer in this JVM's ImageIO");
        }
    }

    static void writeSvg(Figure figure, OutputStream out) throws IOException {
        VectorGraphics2D g = new VectorGraphics2D();
        paint(figure, g);
        ByteArrayOutputStream svg = new ByteArrayOutputStream();
        new SVGProcessor().getDocument(g.getCommands(), new PageSize(0, 0, figure.width(), figure.height())).writeTo(svg);
        out.write(roundCoordinates(svg.toString(StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Rounds every decimal number in the SVG to two places. XChart draws text as glyph outlines,
     * and VectorGraphics2D prints up to 15 decimals, so an SVG is mostly digits no screen shows:
     * a hundredth of a pixel halves the file and changes nothing visible. The SVG holds no text
     * content (text is outlines) and its ids are integers, so only coordinates, sizes and
     * opacities have a decimal point.
     */
    static String roundCoordinates(String svg) {
        Matcher m = DECIMAL.matcher(svg);
        StringBuilder rounded = new StringBuilder(svg.length() / 2);
        while (m.find()) {
            String r = new BigDecimal(m.group()).setScale(2, RoundingMode.HALF_EVEN).stripTrailingZeros().toPlainString();
            m.appendReplacement(rounded, r.equals("-0") ? "0" : r);
        }
        m.appendTail(rounded);
        return rounded.toString();
    }

    private static void paint(Figure figure, Graphics2D g) {
        int y = 0;
        for (Figure.Panel panel : figure.panels()) {
            Graphics2D panelGraphics = (Graphics2D) g.create(0, y, figure.width(), panel.height());
            try {
                panel.chart().paint(panelGraphics, figure.width(), panel.height());
            } finally {
                panelGraphics.dispose();
            }
            y += panel.height();
        }
    }
}
