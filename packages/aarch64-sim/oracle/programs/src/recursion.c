/* Recursion: naive Fibonacci, Ackermann, Towers of Hanoi, N-queens, permutations, mutual recursion. */
#include "sys.h"

static u64 fib(u32 n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }

static u64 ack(u64 m, u64 n) {
  if (m == 0) return n + 1;
  if (n == 0) return ack(m - 1, 1);
  return ack(m - 1, ack(m, n - 1));
}

static u64 moves;
static u32 pegs[3];
static void hanoi(int n, int from, int to, int via) {
  if (n == 0) return;
  hanoi(n - 1, from, via, to);
  moves++;
  pegs[from]--;
  pegs[to]++;
  hanoi(n - 1, via, to, from);
}

static int queens(int n, int row, u32 cols, u32 d1, u32 d2) {
  if (row == n) return 1;
  int count = 0;
  for (int c = 0; c < n; c++) {
    if (cols & (1U << c) || d1 & (1U << (row + c)) || d2 & (1U << (row - c + n - 1))) continue;
    count += queens(n, row + 1, cols | 1U << c, d1 | 1U << (row + c), d2 | 1U << (row - c + n - 1));
  }
  return count;
}

static u64 perm_hash;
static void permute(u8 *v, int k, int n) {
  if (k == n) {
    u64 h = 0;
    for (int i = 0; i < n; i++) h = h * 10 + v[i];
    perm_hash = perm_hash * 31 + h;
    return;
  }
  for (int i = k; i < n; i++) {
    u8 t = v[k];
    v[k] = v[i];
    v[i] = t;
    permute(v, k + 1, n);
    t = v[k];
    v[k] = v[i];
    v[i] = t;
  }
}

static int is_odd(u32 n);
static int is_even(u32 n) { return n == 0 ? 1 : is_odd(n - 1); }
static int is_odd(u32 n) { return n == 0 ? 0 : is_even(n - 1); }

int main(void) {
  put_kv("fib(24)", fib(24));
  put_kv("ack(2,3)", ack(2, 3));
  put_kv("ack(3,4)", ack(3, 4));
  pegs[0] = 14;
  hanoi(14, 0, 2, 1);
  put_kv("hanoi(14)", moves);
  put_kv("peg2", pegs[2]);
  for (int n = 4; n <= 8; n++) {
    put_str("queens(");
    put_u64((u64)n);
    put_str(")=");
    put_u64((u64)queens(n, 0, 0, 0, 0));
    put_char('\n');
  }
  u8 v[7] = {1, 2, 3, 4, 5, 6, 7};
  permute(v, 0, 7);
  put_kx("perm_hash", perm_hash);
  put_kv("is_even(777)", (u64)is_even(777));
  return (int)(fib(10) + ack(2, 2)); /* 55 + 7 */
}
