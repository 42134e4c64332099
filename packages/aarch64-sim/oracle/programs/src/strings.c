/* String routines of our own: length, compare, search, reverse, case, number formatting and parsing,
 * word counting. */
#include "sys.h"

static size_t s_len(const char *s) {
  const char *p = s;
  while (*p) p++;
  return (size_t)(p - s);
}

static int s_cmp(const char *a, const char *b) {
  while (*a && *a == *b) a++, b++;
  return (u8)*a - (u8)*b;
}

static const char *s_str(const char *h, const char *n) {
  size_t m = s_len(n);
  for (; *h; h++)
    if (memcmp(h, n, m) == 0) return h;
  return 0;
}

static void s_rev(char *s) {
  size_t n = s_len(s);
  for (size_t i = 0; i < n / 2; i++) {
    char t = s[i];
    s[i] = s[n - 1 - i];
    s[n - 1 - i] = t;
  }
}

static void s_upper(char *s) {
  for (; *s; s++)
    if (*s >= 'a' && *s <= 'z') *s = (char)(*s - 32);
}

static i64 s_atoi(const char *s) {
  int neg = 0;
  i64 v = 0;
  while (*s == ' ') s++;
  if (*s == '-' || *s == '+') neg = *s++ == '-';
  while (*s >= '0' && *s <= '9') v = v * 10 + (*s++ - '0');
  return neg ? -v : v;
}

static int s_words(const char *s) {
  int n = 0, in = 0;
  for (; *s; s++) {
    int sp = *s == ' ' || *s == '\n' || *s == '\t' || *s == ',' || *s == '.';
    if (!sp && !in) n++;
    in = !sp;
  }
  return n;
}

static int is_pal(const char *s) {
  size_t n = s_len(s);
  for (size_t i = 0; i < n / 2; i++)
    if (s[i] != s[n - 1 - i]) return 0;
  return 1;
}

static const char text[] =
    "The quick brown fox jumps over the lazy dog. Pack my box with five dozen liquor jugs,\n"
    "while sphinx of black quartz judges my vow.";

int main(void) {
  char buf[256];
  put_kv("len", s_len(text));
  put_kv("words", (u64)s_words(text));
  const char *p = s_str(text, "lazy");
  put_kv("find(lazy)", p ? (u64)(p - text) : 9999);
  put_kv("find(cat)", s_str(text, "cat") ? 1 : 0);
  memcpy(buf, text, 44);
  buf[44] = 0;
  s_rev(buf);
  put_str(buf);
  put_char('\n');
  s_upper(buf);
  put_str(buf);
  put_char('\n');
  put_i64(s_cmp("apple", "apricot"));
  put_char(' ');
  put_i64(s_cmp("same", "same"));
  put_char(' ');
  put_i64(s_cmp("zeta", "alpha"));
  put_char('\n');
  static const char *nums[] = {"0", "42", "-17", "  +9000", "9223372036854775807", "-9223372036854775807"};
  i64 sum = 0;
  for (u32 i = 0; i < sizeof nums / sizeof nums[0]; i++) {
    i64 v = s_atoi(nums[i]);
    put_i64(v);
    put_char(i + 1 < sizeof nums / sizeof nums[0] ? ',' : '\n');
    sum += v / 1000;
  }
  put_kx("sum", (u64)sum);
  static const char *pals[] = {"racecar", "abba", "abc", "", "x", "noon", "nope"};
  int np = 0;
  for (u32 i = 0; i < sizeof pals / sizeof pals[0]; i++) np += is_pal(pals[i]);
  put_kv("palindromes", (u64)np);
  return np;
}
