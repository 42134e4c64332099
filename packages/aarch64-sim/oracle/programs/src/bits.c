/* Bit tricks: population count, leading/trailing zeros, bit reversal, byte swaps, rotates, parity,
 * Gray code, bit-field structs, next permutation of bits. */
#include "sys.h"

static u32 popcount(u64 x) {
  x = x - ((x >> 1) & 0x5555555555555555UL);
  x = (x & 0x3333333333333333UL) + ((x >> 2) & 0x3333333333333333UL);
  x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0fUL;
  return (u32)((x * 0x0101010101010101UL) >> 56);
}

static u64 bitrev(u64 x) {
  u64 r = 0;
  for (int i = 0; i < 64; i++, x >>= 1) r = (r << 1) | (x & 1);
  return r;
}

static u64 rotl(u64 x, u32 n) { return (x << (n & 63)) | (x >> (-n & 63)); }
static u32 rotr32(u32 x, u32 n) { return (x >> (n & 31)) | (x << (-n & 31)); }

static u64 next_perm(u64 v) {
  u64 t = v | (v - 1);
  return (t + 1) | (((~t & -~t) - 1) >> (__builtin_ctzl(v) + 1));
}

struct packed {
  u32 a : 3;
  u32 b : 7;
  i32 c : 5;
  u32 d : 17;
};

int main(void) {
  u64 h = 0;
  u64 x = 0x0123456789abcdefUL;
  for (int i = 0; i < 200; i++) {
    x = rng_next() >> (i & 63);
    u32 pc = popcount(x);
    int lz = x ? __builtin_clzl(x) : 64;
    int tz = x ? __builtin_ctzl(x) : 64;
    u32 clz32 = (u32)x ? (u32)__builtin_clz((u32)x) : 32;
    h = h * 131 + pc + (u64)lz * 7 + (u64)tz * 11 + clz32;
    h ^= bitrev(x) + __builtin_bswap64(x) + __builtin_bswap32((u32)x) + __builtin_bswap16((u16)x);
    h += rotl(x, (u32)i) ^ rotr32((u32)x, (u32)i * 3);
    h += (x ^ (x >> 1)) + (u64)(popcount(x) & 1) + (u64)__builtin_clrsbl((i64)x);
  }
  put_kx("hash", h);
  put_kv("popcount(~0)", popcount(~0UL));
  put_kx("bitrev(1)", bitrev(1));
  u64 v = 0x7, count = 0;
  while (v < (1UL << 12)) {
    v = next_perm(v);
    count++;
  }
  put_kv("perms(3 of 12)", count);
  struct packed p = {5, 100, -7, 99999};
  for (int i = 0; i < 10; i++) {
    p.a += 3;
    p.b ^= (u32)i * 13;
    p.c -= 5;
    p.d += (u32)i * 4097;
  }
  put_kv("p.a", p.a);
  put_kv("p.b", p.b);
  put_i64(p.c);
  put_char('\n');
  put_kv("p.d", p.d);
  return (int)popcount(h);
}
