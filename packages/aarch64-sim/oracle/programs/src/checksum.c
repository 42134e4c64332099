/* Checksums over a generated buffer: Adler-32, Fletcher-32, CRC-32 (table and bitwise), and a 64-bit
 * sum-of-products. Compute-heavy: meant for the MIPS benchmark. */
#include "sys.h"

#define N 16384
#ifndef ROUNDS
#define ROUNDS 24
#endif

static u8 data[N];
static u32 crc_table[256];

static void crc_init(void) {
  for (u32 i = 0; i < 256; i++) {
    u32 c = i;
    for (int k = 0; k < 8; k++) c = (c & 1) ? 0xedb88320U ^ (c >> 1) : c >> 1;
    crc_table[i] = c;
  }
}

static u32 crc32_table(const u8 *p, size_t n, u32 crc) {
  crc = ~crc;
  while (n--) crc = crc_table[(crc ^ *p++) & 0xff] ^ (crc >> 8);
  return ~crc;
}

static u32 crc32_bitwise(const u8 *p, size_t n) {
  u32 crc = 0xffffffffU;
  while (n--) {
    crc ^= *p++;
    for (int k = 0; k < 8; k++) crc = (crc >> 1) ^ (0xedb88320U & (0U - (crc & 1)));
  }
  return ~crc;
}

static u32 adler32(const u8 *p, size_t n) {
  u32 a = 1, b = 0;
  while (n--) {
    a = (a + *p++) % 65521;
    b = (b + a) % 65521;
  }
  return (b << 16) | a;
}

static u32 fletcher32(const u8 *p, size_t n) {
  u32 s1 = 0xffff, s2 = 0xffff;
  for (size_t i = 0; i + 1 < n; i += 2) {
    s1 += (u32)(p[i] | (p[i + 1] << 8));
    s2 += s1;
    s1 = (s1 & 0xffff) + (s1 >> 16);
    s2 = (s2 & 0xffff) + (s2 >> 16);
  }
  s1 = (s1 & 0xffff) + (s1 >> 16);
  s2 = (s2 & 0xffff) + (s2 >> 16);
  return (s2 << 16) | s1;
}

static u64 sumprod(const u8 *p, size_t n) {
  u64 s = 0;
  for (size_t i = 0; i < n; i++) s = s * 31 + p[i] * (u64)(i | 1);
  return s;
}

int main(void) {
  for (size_t i = 0; i < N; i++) data[i] = (u8)(rng_next() >> 56);
  crc_init();
  u32 crc = 0, ad = 0, fl = 0, bw = 0;
  u64 sp = 0;
  for (int r = 0; r < ROUNDS; r++) {
    data[r] ^= (u8)r;
    crc = crc32_table(data, N, crc);
    ad ^= adler32(data, N);
    fl ^= fletcher32(data, N);
    sp += sumprod(data, N);
  }
  bw = crc32_bitwise(data, N);
  put_kx("crc32", crc);
  put_kx("adler32", ad);
  put_kx("fletcher32", fl);
  put_kx("sumprod", sp);
  put_kx("crc32_bitwise", bw);
  put_kx("crc32_table", crc32_table(data, N, 0));
  put_kx("crc32(123456789)", crc32_table((const u8 *)"123456789", 9, 0)); /* cbf43926 */
  return bw == crc32_table(data, N, 0) ? 0 : 1;
}
