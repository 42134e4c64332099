/* Memory operations at every alignment: copies, overlapping moves, fills, compares, struct copies and
 * byte/halfword/word/doubleword accesses through unaligned pointers. Exit code = number of failures. */
#include "sys.h"

struct rec {
  u8 tag;
  u16 half;
  u32 word;
  u64 dword;
  char name[13];
};

static u8 src[512], dst[512], ref[512];

static int check_copy(size_t so, size_t dof, size_t n) {
  memset(dst, 0xee, sizeof dst);
  memcpy(dst + dof, src + so, n);
  for (size_t i = 0; i < sizeof dst; i++) {
    u8 want = (i >= dof && i < dof + n) ? src[so + i - dof] : 0xee;
    if (dst[i] != want) return 1;
  }
  return 0;
}

static int check_move(size_t from, size_t to, size_t n) {
  for (size_t i = 0; i < sizeof dst; i++) dst[i] = ref[i] = (u8)(i * 7 + 1);
  memmove(dst + to, dst + from, n);
  u8 tmp[512];
  for (size_t i = 0; i < n; i++) tmp[i] = ref[from + i];
  for (size_t i = 0; i < n; i++) ref[to + i] = tmp[i];
  return memcmp(dst, ref, sizeof dst) != 0;
}

static u64 load_unaligned(const u8 *p, int size) {
  switch (size) {
    case 1: return *(const volatile u8 *)p;
    case 2: { u16 v; memcpy(&v, p, 2); return v; }
    case 4: { u32 v; memcpy(&v, p, 4); return v; }
    default: { u64 v; memcpy(&v, p, 8); return v; }
  }
}

int main(void) {
  int fails = 0;
  for (size_t i = 0; i < sizeof src; i++) src[i] = (u8)(rng_next() >> 40);
  for (size_t so = 0; so < 8; so++)
    for (size_t dof = 0; dof < 8; dof++)
      for (size_t n = 0; n < 80; n += 7) fails += check_copy(so, dof, n);
  for (size_t from = 0; from < 40; from += 3)
    for (size_t to = 0; to < 40; to += 5) fails += check_move(from, to, 100);
  u64 h = 0;
  for (int off = 0; off < 16; off++)
    for (int size = 1; size <= 8; size *= 2) h = h * 0x100000001b3UL ^ load_unaligned(src + off, size);
  struct rec a = {1, 0xbeef, 0xdeadbeef, 0x0123456789abcdefUL, "hello, world"}, b;
  b = a;
  b.half++;
  fails += memcmp(a.name, b.name, sizeof a.name) != 0;
  fails += b.dword != a.dword || b.half != 0xbef0;
  static struct rec arr[9];
  for (int i = 0; i < 9; i++) {
    arr[i] = a;
    arr[i].tag = (u8)i;
    arr[i].word += (u32)i;
  }
  u64 s = 0;
  for (int i = 0; i < 9; i++) s += arr[i].tag + arr[i].word + arr[i].dword + (u8)arr[i].name[i];
  put_kx("unaligned_hash", h);
  put_kx("struct_sum", s);
  put_kv("fails", (u64)fails);
  return fails;
}
