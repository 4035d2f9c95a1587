// Writes src/test/resources/frameworks/glibc-expf.csv: gcc -O2 golden.c -o golden -lm && ./golden > ...
#include <math.h>
#include <stdio.h>
#include <stdint.h>
#include <string.h>
#include <gnu/libc-version.h>
static void row(uint32_t c){ float x; memcpy(&x,&c,4); if(isnan(x)) return; float a=expf(x); uint32_t b; memcpy(&b,&a,4); printf("%08x,%08x\n",c,b); }
int main(){ printf("# glibc %s expf on x86-64 (its FMA build), written by a C program calling expf:\n# every 262144th float bit pattern, every 32nd input of [-104, 0] where expf differs from the\n# correctly rounded (float) expl(x), and the special cases. Columns: input bits, output bits (hex).\n", gnu_get_libc_version());
 printf("input,output\n");
 for(uint64_t c=0;c<=0xffffffffull;c+=262144) row((uint32_t)c);
 uint32_t lo=0x80000000u,hi; float m=-104.0f; memcpy(&hi,&m,4); long k=0;
 for(uint32_t c=lo;c<=hi;c++){ float x; memcpy(&x,&c,4); float a=expf(x), b=(float)expl((long double)x); if(a!=b && (k++ % 32)==0) row(c); }
 float sp[]={INFINITY,-INFINITY,0.0f,-0.0f,0x1.62e42ep6f,0x1.62e430p6f,-0x1.9fe368p6f,-0x1.9fe36ap6f,88.0f,-88.0f,-103.97f,1e-30f,-1e-30f};
 for(int i=0;i<13;i++){ uint32_t c; memcpy(&c,&sp[i],4); row(c);} }
