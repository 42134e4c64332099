/* Hashing: SHA-256 (checked against the FIPS 180-2 "abc" vector), FNV-1a 64 and a splitmix64 mixer over
 * a generated buffer. Compute-heavy: meant for the MIPS benchmark. */
#include "sys.h"

#ifndef ROUNDS
#define ROUNDS 12
#endif
#define N 8192

static const u32 K[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

struct sha256 {
  u32 h[8];
  u8 block[64];
  u64 len;
  u32 used;
};

static u32 ror(u32 x, int n) { return (x >> n) | (x << (32 - n)); }

static void sha_block(struct sha256 *s, const u8 *p) {
  u32 w[64];
  for (int i = 0; i < 16; i++) w[i] = (u32)p[4 * i] << 24 | (u32)p[4 * i + 1] << 16 | (u32)p[4 * i + 2] << 8 | p[4 * i + 3];
  for (int i = 16; i < 64; i++) {
    u32 s0 = ror(w[i - 15], 7) ^ ror(w[i - 15], 18) ^ (w[i - 15] >> 3);
    u32 s1 = ror(w[i - 2], 17) ^ ror(w[i - 2], 19) ^ (w[i - 2] >> 10);
    w[i] = w[i - 16] + s0 + w[i - 7] + s1;
  }
  u32 a = s->h[0], b = s->h[1], c = s->h[2], d = s->h[3], e = s->h[4], f = s->h[5], g = s->h[6], h = s->h[7];
  for (int i = 0; i < 64; i++) {
    u32 t1 = h + (ror(e, 6) ^ ror(e, 11) ^ ror(e, 25)) + ((e & f) ^ (~e & g)) + K[i] + w[i];
    u32 t2 = (ror(a, 2) ^ ror(a, 13) ^ ror(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
    h = g;
    g = f;
    f = e;
    e = d + t1;
    d = c;
    c = b;
    b = a;
    a = t1 + t2;
  }
  s->h[0] += a;
  s->h[1] += b;
  s->h[2] += c;
  s->h[3] += d;
  s->h[4] += e;
  s->h[5] += f;
  s->h[6] += g;
  s->h[7] += h;
}

static void sha_init(struct sha256 *s) {
  static const u32 iv[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                            0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
  for (int i = 0; i < 8; i++) s->h[i] = iv[i];
  s->len = 0;
  s->used = 0;
}

static void sha_update(struct sha256 *s, const u8 *p, size_t n) {
  s->len += n;
  while (n--) {
    s->block[s->used++] = *p++;
    if (s->used == 64) {
      sha_block(s, s->block);
      s->used = 0;
    }
  }
}

static void sha_final(struct sha256 *s, u8 out[32]) {
  u64 bits = s->len * 8;
  u8 pad = 0x80;
  sha_update(s, &pad, 1);
  pad = 0;
  while (s->used != 56) sha_update(s, &pad, 1);
  for (int i = 7; i >= 0; i--) {
    u8 b = (u8)(bits >> (8 * i));
    sha_update(s, &b, 1);
  }
  for (int i = 0; i < 8; i++)
    for (int j = 0; j < 4; j++) out[4 * i + j] = (u8)(s->h[i] >> (24 - 8 * j));
}

static void put_digest(const char *name, const u8 *d) {
  put_str(name);
  put_char('=');
  for (int i = 0; i < 32; i++) put_hex(d[i], 2);
  put_char('\n');
}

static u64 fnv1a(const u8 *p, size_t n) {
  u64 h = 0xcbf29ce484222325UL;
  while (n--) h = (h ^ *p++) * 0x100000001b3UL;
  return h;
}

static u64 mix64(u64 z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9UL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebUL;
  return z ^ (z >> 31);
}

static u8 data[N];

int main(void) {
  struct sha256 s;
  u8 d[32];
  sha_init(&s);
  sha_update(&s, (const u8 *)"abc", 3);
  sha_final(&s, d);
  put_digest("sha256(abc)", d); /* ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad */
  int bad = d[0] != 0xba || d[31] != 0xad;
  for (size_t i = 0; i < N; i++) data[i] = (u8)(rng_next() >> 32);
  sha_init(&s);
  u64 f = 0, m = 0;
  for (int r = 0; r < ROUNDS; r++) {
    sha_update(&s, data, N);
    f ^= fnv1a(data, N);
    for (size_t i = 0; i < N; i += 8) {
      u64 v;
      memcpy(&v, data + i, 8);
      m += mix64(v + (u64)r);
    }
    data[r] ^= 0x5a;
  }
  sha_final(&s, d);
  put_digest("sha256(data)", d);
  put_kx("fnv1a", f);
  put_kx("mix64", m);
  return bad;
}
