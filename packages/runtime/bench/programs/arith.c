// Arithmetic loop: 64-bit add/mul/xor/shift on registers only. ctx[0] = iterations.
typedef unsigned long long u64;
u64 arith(u64 *ctx) {
  u64 n = ctx[0], acc = 0, x = 0x9e3779b97f4a7c15ULL;
  for (u64 i = 0; i < n; i++) {
    acc += x * 3;
    x ^= acc >> 7;
    acc ^= i;
  }
  return acc ^ x;
}
