/* 64-bit arithmetic: wide multiplies (__int128), overflow checks, integer square root, gcd, modular
 * exponentiation, sign and zero extension of narrow types, shifts. */
#include "sys.h"

static volatile u64 vin[] = {0, 1, 2, 3, 7, 0xff, 0x7fffffff, 0x80000000, 0xffffffff, 0x100000000,
                             0x123456789abcdef0UL, 0x7fffffffffffffffUL, 0x8000000000000000UL,
                             0xfffffffffffffffeUL, 0xffffffffffffffffUL, 0xdeadbeefcafebabeUL};
#define NV (sizeof vin / sizeof vin[0])

static u64 isqrt(u64 x) {
  u64 r = 0, bit = 1UL << 62;
  while (bit > x) bit >>= 2;
  while (bit) {
    if (x >= r + bit) {
      x -= r + bit;
      r = (r >> 1) + bit;
    } else {
      r >>= 1;
    }
    bit >>= 2;
  }
  return r;
}

static u64 gcd(u64 a, u64 b) {
  while (b) {
    u64 t = a % b;
    a = b;
    b = t;
  }
  return a;
}

/* a, b < m; no 128-bit division (that would need libgcc's __umodti3) */
static u64 addmod(u64 a, u64 b, u64 m) { return a >= m - b ? a - (m - b) : a + b; }

static u64 mulmod(u64 a, u64 b, u64 m) {
  u64 r = 0;
  a %= m;
  b %= m;
  while (b) {
    if (b & 1) r = addmod(r, a, m);
    a = addmod(a, a, m);
    b >>= 1;
  }
  return r;
}

static u64 powmod(u64 b, u64 e, u64 m) {
  u64 r = 1 % m;
  b %= m;
  while (e) {
    if (e & 1) r = mulmod(r, b, m);
    b = mulmod(b, b, m);
    e >>= 1;
  }
  return r;
}

int main(void) {
  u64 h = 0, ov = 0;
  for (u32 i = 0; i < NV; i++) {
    for (u32 j = 0; j < NV; j++) {
      u64 a = vin[i], b = vin[j];
      unsigned __int128 p = (unsigned __int128)a * b;
      __int128 sp = (__int128)(i64)a * (i64)b;
      u64 r;
      i64 sr;
      ov += __builtin_add_overflow(a, b, &r);
      ov += __builtin_sub_overflow((i64)a, (i64)b, &sr) * 2;
      ov += __builtin_mul_overflow((i64)a, (i64)b, &sr) * 4;
      h = h * 0x100000001b3UL ^ (u64)p ^ (u64)(p >> 64) ^ (u64)(sp >> 64);
      h ^= (a << (b & 63)) + ((i64)a >> (b & 63)) + (a >> (b & 63));
      h += (u64)(i64)(i32)a + (u64)(i64)(i16)b + (u64)(u16)a + (u64)(i8)b;
    }
  }
  put_kx("hash", h);
  put_kv("overflows", ov);
  put_kv("isqrt(2^64-1)", isqrt(0xffffffffffffffffUL));
  put_kv("isqrt(10^18)", isqrt(1000000000000000000UL));
  put_kv("gcd", gcd(0x123456789abcdef0UL, 0xfedcba9876543210UL));
  put_kv("powmod(3,1e18,1e9+7)", powmod(3, 1000000000000000000UL, 1000000007));
  put_kv("powmod(2,p-2,2^61-1)", powmod(2, 0x1fffffffffffffffUL - 2, 0x1fffffffffffffffUL));
  return (int)(h & 0x7f);
}
