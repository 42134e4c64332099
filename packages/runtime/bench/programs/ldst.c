// Load/store-heavy loop: a 32-entry u64 table on the stack, read and written through computed indices.
typedef unsigned long long u64;
u64 ldst(u64 *ctx) {
  volatile u64 t[32];
  u64 n = ctx[0];
  for (int i = 0; i < 32; i++) t[i] = i;
  for (u64 i = 0; i < n; i++) {
    u64 a = t[i & 31];
    u64 b = t[(i * 7) & 31];
    t[(i + 3) & 31] = a + b;
    ctx[1] += a;
  }
  return t[0] ^ t[31];
}
