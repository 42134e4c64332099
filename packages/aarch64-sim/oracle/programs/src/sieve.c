/* Sieve of Eratosthenes on a bit array, prime counting, twin primes, and a segmented check. */
#include "sys.h"

#define LIMIT 300000
static u64 bits[LIMIT / 64 + 1];

static int composite(u32 n) { return (int)((bits[n >> 6] >> (n & 63)) & 1); }

int main(void) {
  bits[0] |= 3; /* 0 and 1 */
  for (u32 i = 2; (u64)i * i < LIMIT; i++)
    if (!composite(i))
      for (u32 j = i * i; j < LIMIT; j += i) bits[j >> 6] |= 1UL << (j & 63);
  u64 count = 0, sum = 0, twins = 0, last = 0, gap = 0;
  for (u32 n = 2; n < LIMIT; n++) {
    if (composite(n)) continue;
    count++;
    sum += n;
    if (last && n - last == 2) twins++;
    if (last && n - last > gap) gap = n - last;
    last = n;
  }
  put_kv("primes", count);
  put_kv("sum", sum);
  put_kv("twins", twins);
  put_kv("max_gap", gap);
  put_kv("largest", last);
  return count == 25997 ? 0 : 1;
}
