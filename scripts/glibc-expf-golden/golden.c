// Writes src/test/resources/frameworks/glibc-expf.csv from the real glibc expf:
//   gcc -O2 -ffp-contract=off golden.c -o golden -lm && ./golden > src/test/resources/frameworks/glibc-expf.csv
// Run it on x86-64 with FMA and AVX2, so that glibc's ifunc picks its FMA build of expf.
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <gnu/libc-version.h>

static float as_float(uint32_t c) { float x; memcpy(&x, &c, 4); return x; }
static uint32_t as_bits(float x) { uint32_t c; memcpy(&c, &x, 4); return c; }

// C99 hex float, exact for every float; inf and nan spelled out.
static void put(float v) {
    if (isnan(v)) printf("nan");
    else if (isinf(v)) printf(v > 0 ? "inf" : "-inf");
    else printf("%a", (double) v);
}
static void row(float x) { put(x); putchar(','); put(expf(x)); putchar('\n'); }
static int differs_from_cr(float x) { return as_bits(expf(x)) != as_bits((float) expl((long double) x)); }

int main(void) {
    const uint32_t underflow = 0xc2cff1b4u; // -0x1.9fe368p6, below which expf is +0
    long neg = 0, rest = 0, nonCr = 0, specials = 0;
    // Count the inputs of [-104, 88.72] where expf is not the correctly rounded (float) expl(x).
    long totalNonCr = 0;
    for (uint32_t c = 0x80000000u; c <= 0xc2d00000u; c++) totalNonCr += differs_from_cr(as_float(c));
    for (uint32_t c = 0; c <= 0x42b17218u; c++) totalNonCr += differs_from_cr(as_float(c));
    const long stride = totalNonCr / 3000 + 1;

    printf("# glibc %s expf on x86-64 with FMA (its multiarch FMA build), written by the real expf through\n", gnu_get_libc_version());
    printf("# scripts/glibc-expf-golden/golden.c. Rows: every 65536th float bit pattern from -0 down to\n");
    printf("# -0x1.9fe368p6; every 2^20th pattern beyond it and over the positives; every %ldth of the %ld inputs\n", stride, totalNonCr);
    printf("# of [-104, 88.72] where expf differs from the correctly rounded (float) expl(x); special values.\n");
    printf("# Columns: x, expf(x), as C99 hex floats (exact), inf and nan spelled out.\n");
    printf("input,output\n");
    for (uint64_t c = 0x80000000u; c <= underflow; c += 65536) { row(as_float((uint32_t) c)); neg++; }
    for (uint64_t c = 0xc2d00000u; c <= 0xff800000u; c += 1 << 20) { row(as_float((uint32_t) c)); rest++; }
    for (uint64_t c = 0; c <= 0x7f800000u; c += 1 << 20) { row(as_float((uint32_t) c)); rest++; }
    long k = 0;
    for (uint32_t c = 0x80000000u; c <= 0xc2d00000u; c++)
        if (differs_from_cr(as_float(c)) && k++ % stride == 0) { row(as_float(c)); nonCr++; }
    for (uint32_t c = 0; c <= 0x42b17218u; c++)
        if (differs_from_cr(as_float(c)) && k++ % stride == 0) { row(as_float(c)); nonCr++; }
    const float sp[] = {
        NAN, INFINITY, -INFINITY, 0.0f, -0.0f, 1.0f, -1.0f, 0x1p-149f, -0x1p-149f, 0x1p-126f, -0x1p-126f,
        0x1.fffffep127f, -0x1.fffffep127f, 88.0f, -88.0f, 0x1.5fffffp6f, -0x1.5fffffp6f,
        0x1.62e42ep6f, 0x1.62e430p6f,       // overflow threshold and the next float
        -0x1.9fe368p6f, -0x1.9fe36ap6f,     // underflow threshold and the next float down
        -0x1.9d1d9ep6f, -0x1.9d1da0p6f, -0x1.9d1d9cp6f, // glibc's may-underflow threshold and neighbours
        -0x1.9fe366p6f, -103.5f, -0x1.5d589ep6f, // in the subnormal results
        0x1.04845ep5f, -0x1.f8cbb2p5f,      // the two inputs where r = z - k needs the fma
    };
    for (unsigned i = 0; i < sizeof sp / sizeof sp[0]; i++) { row(sp[i]); specials++; }
    fprintf(stderr, "rows: %ld negatives, %ld sparse, %ld not correctly rounded (of %ld), %ld specials\n",
            neg, rest, nonCr, totalNonCr, specials);
    return 0;
}
