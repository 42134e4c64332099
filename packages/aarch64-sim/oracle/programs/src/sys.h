/* Freestanding runtime for the oracle programs: Linux write/exit through svc #0, output helpers, and the
 * mem* functions gcc may call on its own (struct copies, loop idioms). No libc. */
#ifndef ORACLE_SYS_H
#define ORACLE_SYS_H

typedef unsigned long u64;
typedef long i64;
typedef unsigned int u32;
typedef int i32;
typedef unsigned short u16;
typedef short i16;
typedef unsigned char u8;
typedef signed char i8;
typedef unsigned long size_t;

/* not every program uses every helper */
#define HELPER static __attribute__((unused))

static inline long sys3(long n, long a, long b, long c) {
  register long x8 asm("x8") = n, x0 asm("x0") = a, x1 asm("x1") = b, x2 asm("x2") = c;
  asm volatile("svc #0" : "+r"(x0) : "r"(x8), "r"(x1), "r"(x2) : "memory");
  return x0;
}

/* Output is buffered and written with write(1, ...) when full and at exit. */
static char out_buf[4096];
static size_t out_len;

HELPER void out_flush(void) {
  size_t off = 0;
  while (off < out_len) {
    long n = sys3(64, 1, (long)(out_buf + off), (long)(out_len - off));
    if (n <= 0) break;
    off += (size_t)n;
  }
  out_len = 0;
}

__attribute__((noreturn)) static void sys_exit(int code) {
  out_flush();
  sys3(93, code, 0, 0);
  for (;;) {
  }
}

HELPER void put_char(char c) {
  if (out_len == sizeof out_buf) out_flush();
  out_buf[out_len++] = c;
}

HELPER void put_str(const char *s) {
  while (*s) put_char(*s++);
}

HELPER void put_u64(u64 v) {
  char b[24];
  int i = 0;
  do {
    b[i++] = (char)('0' + v % 10);
    v /= 10;
  } while (v);
  while (i) put_char(b[--i]);
}

HELPER void put_i64(i64 v) {
  if (v < 0) {
    put_char('-');
    put_u64(0 - (u64)v);
  } else {
    put_u64((u64)v);
  }
}

HELPER void put_hex(u64 v, int digits) {
  for (int i = digits - 1; i >= 0; i--) put_char("0123456789abcdef"[(v >> (4 * i)) & 15]);
}

/* "name=value\n" lines keep the golden output readable. */
HELPER void put_kv(const char *k, u64 v) {
  put_str(k);
  put_char('=');
  put_u64(v);
  put_char('\n');
}

HELPER void put_kx(const char *k, u64 v) {
  put_str(k);
  put_str("=0x");
  put_hex(v, 16);
  put_char('\n');
}

/* gcc turns byte loops into calls to these; keep it from doing that inside them. */
#define NO_LIBCALLS __attribute__((used, optimize("no-tree-loop-distribute-patterns")))

NO_LIBCALLS void *memcpy(void *d, const void *s, size_t n) {
  u8 *dp = d;
  const u8 *sp = s;
  while (n--) *dp++ = *sp++;
  return d;
}

NO_LIBCALLS void *memmove(void *d, const void *s, size_t n) {
  u8 *dp = d;
  const u8 *sp = s;
  if (dp < sp) {
    while (n--) *dp++ = *sp++;
  } else {
    while (n--) dp[n] = sp[n];
  }
  return d;
}

NO_LIBCALLS void *memset(void *d, int c, size_t n) {
  u8 *dp = d;
  while (n--) *dp++ = (u8)c;
  return d;
}

NO_LIBCALLS int memcmp(const void *a, const void *b, size_t n) {
  const u8 *x = a, *y = b;
  for (; n; n--, x++, y++)
    if (*x != *y) return *x < *y ? -1 : 1;
  return 0;
}

/* A small deterministic PRNG for test data (xorshift64*). */
static u64 rng_state = 0x9e3779b97f4a7c15UL;
HELPER u64 rng_next(void) {
  rng_state ^= rng_state >> 12;
  rng_state ^= rng_state << 25;
  rng_state ^= rng_state >> 27;
  return rng_state * 0x2545f4914f6cdd1dUL;
}

int main(void);
void _start(void) { sys_exit(main()); }

#endif
