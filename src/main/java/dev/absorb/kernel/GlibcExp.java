package dev.absorb.kernel;

/** TEMPORARY scratch version, replaced by the verified port. */
final class GlibcExp {
    private GlibcExp() {
    }

    static float exp(float x) {
        return (float) StrictMath.exp(x);
    }
}
