// Byte loop over memory: FNV-1a 64 over ctx->buf, ctx->passes times.
typedef unsigned long long u64;
typedef unsigned int u32;
typedef unsigned char u8;
struct ctx { u32 passes; u32 len; u8 buf[]; };
u64 bytes(struct ctx *c) {
  u64 h = 0xcbf29ce484222325ULL;
  for (u32 p = 0; p < c->passes; p++)
    for (u32 i = 0; i < c->len; i++) {
      h ^= c->buf[i];
      h *= 0x100000001b3ULL;
    }
  return h;
}
