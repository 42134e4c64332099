/* Sorting: quicksort, heapsort and merge sort of pseudo-random arrays, checked against each other.
 * Compute-heavy: meant for the MIPS benchmark. */
#include "sys.h"

#ifndef N
#define N 20000
#endif

static i64 a[N], b[N], c[N], tmp[N];
static u32 w[N];

static void quicksort(i64 *v, long lo, long hi) {
  while (lo < hi) {
    i64 pivot = v[lo + (hi - lo) / 2];
    long i = lo, j = hi;
    while (i <= j) {
      while (v[i] < pivot) i++;
      while (v[j] > pivot) j--;
      if (i <= j) {
        i64 t = v[i];
        v[i] = v[j];
        v[j] = t;
        i++;
        j--;
      }
    }
    if (j - lo < hi - i) {
      quicksort(v, lo, j);
      lo = i;
    } else {
      quicksort(v, i, hi);
      hi = j;
    }
  }
}

static void sift(i64 *v, long start, long end) {
  long root = start;
  while (2 * root + 1 <= end) {
    long child = 2 * root + 1, sw = root;
    if (v[sw] < v[child]) sw = child;
    if (child + 1 <= end && v[sw] < v[child + 1]) sw = child + 1;
    if (sw == root) return;
    i64 t = v[root];
    v[root] = v[sw];
    v[sw] = t;
    root = sw;
  }
}

static void heapsort(i64 *v, long n) {
  for (long s = (n - 2) / 2; s >= 0; s--) sift(v, s, n - 1);
  for (long e = n - 1; e > 0; e--) {
    i64 t = v[e];
    v[e] = v[0];
    v[0] = t;
    sift(v, 0, e - 1);
  }
}

static void mergesort(i64 *v, long n) {
  for (long width = 1; width < n; width *= 2) {
    for (long i = 0; i < n; i += 2 * width) {
      long mid = i + width < n ? i + width : n, hi = i + 2 * width < n ? i + 2 * width : n;
      long l = i, r = mid, k = i;
      while (l < mid && r < hi) tmp[k++] = v[l] <= v[r] ? v[l++] : v[r++];
      while (l < mid) tmp[k++] = v[l++];
      while (r < hi) tmp[k++] = v[r++];
    }
    for (long i = 0; i < n; i++) v[i] = tmp[i];
  }
}

static void insertion_u32(u32 *v, long n) {
  for (long i = 1; i < n; i++) {
    u32 x = v[i];
    long j = i - 1;
    while (j >= 0 && v[j] > x) {
      v[j + 1] = v[j];
      j--;
    }
    v[j + 1] = x;
  }
}

int main(void) {
  for (long i = 0; i < N; i++) a[i] = b[i] = c[i] = (i64)rng_next() >> (i & 31);
  quicksort(a, 0, N - 1);
  heapsort(b, N);
  mergesort(c, N);
  int bad = 0;
  u64 h = 0;
  for (long i = 0; i < N; i++) {
    if (a[i] != b[i] || a[i] != c[i]) bad++;
    if (i && a[i - 1] > a[i]) bad++;
    h = h * 1000003 ^ (u64)a[i];
  }
  long m = N / 8;
  for (long i = 0; i < m; i++) w[i] = (u32)rng_next();
  insertion_u32(w, m);
  for (long i = 1; i < m; i++)
    if (w[i - 1] > w[i]) bad++;
  put_kv("n", N);
  put_kx("min", (u64)a[0]);
  put_kx("max", (u64)a[N - 1]);
  put_kx("median", (u64)a[N / 2]);
  put_kx("hash", h);
  put_kx("u32_median", w[m / 2]);
  put_kv("bad", (u64)bad);
  return bad;
}
