/* Division: signed and unsigned, 32 and 64 bits, by variables and by constants, and the A64 corner cases
 * (division by zero gives 0, INT64_MIN / -1 gives INT64_MIN) through inline sdiv/udiv. */
#include "sys.h"

static volatile i64 vals[] = {0, 1, -1, 2, -2, 3, 7, -7, 10, 100, -1000, 0x7fffffff, -0x80000000L,
                              0x7fffffffffffffffL, (i64)0x8000000000000000UL, 123456789123L, -987654321987L};
#define NV (sizeof vals / sizeof vals[0])

static u64 udiv_asm(u64 a, u64 b) {
  u64 r;
  asm("udiv %0, %1, %2" : "=r"(r) : "r"(a), "r"(b));
  return r;
}
static i64 sdiv_asm(i64 a, i64 b) {
  i64 r;
  asm("sdiv %0, %1, %2" : "=r"(r) : "r"(a), "r"(b));
  return r;
}
static u32 udiv32_asm(u32 a, u32 b) {
  u32 r;
  asm("udiv %w0, %w1, %w2" : "=r"(r) : "r"(a), "r"(b));
  return r;
}
static i32 sdiv32_asm(i32 a, i32 b) {
  i32 r;
  asm("sdiv %w0, %w1, %w2" : "=r"(r) : "r"(a), "r"(b));
  return r;
}

int main(void) {
  u64 h = 0;
  for (u32 i = 0; i < NV; i++) {
    for (u32 j = 0; j < NV; j++) {
      i64 a = vals[i], b = vals[j];
      h = h * 31 + udiv_asm((u64)a, (u64)b);
      h = h * 31 + (u64)sdiv_asm(a, b);
      h = h * 31 + udiv32_asm((u32)a, (u32)b);
      h = h * 31 + (u64)(i64)sdiv32_asm((i32)a, (i32)b);
      if (b != 0 && !(a == (i64)0x8000000000000000UL && b == -1)) {
        h ^= (u64)(a % b) + (u64)a % (u64)b;
        if ((i32)b != 0 && !((i32)a == (i32)0x80000000 && (i32)b == -1)) h += (u64)(i64)((i32)a % (i32)b);
      }
    }
    i64 a = vals[i];
    h += (u64)(a / 10) + (u64)(a % 7) + (u64)a / 1000 + (u64)((u64)a % 60) + (u64)(a / -3);
  }
  put_kx("hash", h);
  put_kx("udiv(x,0)", udiv_asm(12345, 0));
  put_kx("sdiv(min,-1)", (u64)sdiv_asm((i64)0x8000000000000000UL, -1));
  put_kx("sdiv32(min,-1)", (u32)sdiv32_asm((i32)0x80000000, -1));
  put_kv("1e18/7", 1000000000000000000UL / (u64)vals[6]);
  return (int)(h % 200);
}
