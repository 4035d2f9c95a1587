/*
 * Calls the SLEEF expf symbols that PyTorch's libtorch_cpu.so exports (Sleef_expf8_u10,
 * Sleef_expf16_u10, ...) on float arrays, for generate.py through ctypes: ctypes cannot pass
 * __m256 / __m512 arguments itself. n must be a multiple of the vector width.
 */
#include <immintrin.h>
#include <dlfcn.h>

typedef __m256 (*exp8_fn)(__m256);
typedef __m512 (*exp16_fn)(__m512);

static void *lib;

int sleef_open(const char *path) {
    lib = dlopen(path, RTLD_NOW | RTLD_GLOBAL);
    return lib != 0;
}

int sleef_run8(const char *symbol, const float *in, float *out, long n) {
    exp8_fn f = (exp8_fn) dlsym(lib, symbol);
    if (!f) return 0;
    for (long i = 0; i < n; i += 8) _mm256_storeu_ps(out + i, f(_mm256_loadu_ps(in + i)));
    return 1;
}

__attribute__((target("avx512f")))
int sleef_run16(const char *symbol, const float *in, float *out, long n) {
    exp16_fn f = (exp16_fn) dlsym(lib, symbol);
    if (!f) return 0;
    for (long i = 0; i < n; i += 16) _mm512_storeu_ps(out + i, f(_mm512_loadu_ps(in + i)));
    return 1;
}
