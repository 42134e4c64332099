// Branchy loop: total Collatz steps for seeds 1..ctx[0].
typedef unsigned long long u64;
u64 branchy(u64 *ctx) {
  u64 n = ctx[0], steps = 0;
  for (u64 seed = 1; seed <= n; seed++) {
    u64 x = seed;
    while (x != 1) {
      if (x & 1) x = 3 * x + 1;
      else x >>= 1;
      steps++;
    }
  }
  return steps;
}
