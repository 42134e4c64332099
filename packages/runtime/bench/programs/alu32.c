// ALU32-heavy loop: xorshift32 and a 32-bit multiply-rotate mix. ctx[0] = iterations.
typedef unsigned int u32;
u32 alu32(u32 *ctx) {
  u32 n = ctx[0], s = 2463534242u, acc = 0;
  for (u32 i = 0; i < n; i++) {
    s ^= s << 13;
    s ^= s >> 17;
    s ^= s << 5;
    acc = (acc ^ s) * 0x9e3779b1u;
    acc = (acc << 5) | (acc >> 27);
  }
  return acc;
}
