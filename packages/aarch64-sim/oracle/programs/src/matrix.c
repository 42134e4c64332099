/* Integer matrices: multiply, transpose, power by squaring (mod a prime), determinant mod p by Gaussian
 * elimination with modular inverses. */
#include "sys.h"

#define M 24
#define P 1000003UL

static u64 A[M][M], B[M][M], C[M][M], T[M][M];

static void mul(u64 (*r)[M], u64 (*x)[M], u64 (*y)[M]) {
  for (int i = 0; i < M; i++)
    for (int j = 0; j < M; j++) {
      u64 s = 0;
      for (int k = 0; k < M; k++) s += x[i][k] * y[k][j] % P;
      T[i][j] = s % P;
    }
  for (int i = 0; i < M; i++)
    for (int j = 0; j < M; j++) r[i][j] = T[i][j];
}

static u64 powmod(u64 b, u64 e) {
  u64 r = 1;
  while (e) {
    if (e & 1) r = r * b % P;
    b = b * b % P;
    e >>= 1;
  }
  return r;
}

static u64 det(u64 (*x)[M]) {
  static u64 a[M][M];
  for (int i = 0; i < M; i++)
    for (int j = 0; j < M; j++) a[i][j] = x[i][j];
  u64 d = 1;
  for (int c = 0; c < M; c++) {
    int piv = -1;
    for (int r = c; r < M; r++)
      if (a[r][c]) {
        piv = r;
        break;
      }
    if (piv < 0) return 0;
    if (piv != c) {
      for (int j = 0; j < M; j++) {
        u64 t = a[c][j];
        a[c][j] = a[piv][j];
        a[piv][j] = t;
      }
      d = (P - d) % P;
    }
    d = d * a[c][c] % P;
    u64 inv = powmod(a[c][c], P - 2);
    for (int r = c + 1; r < M; r++) {
      u64 f = a[r][c] * inv % P;
      for (int j = c; j < M; j++) a[r][j] = (a[r][j] + P * P - f * a[c][j]) % P;
    }
  }
  return d;
}

int main(void) {
  for (int i = 0; i < M; i++)
    for (int j = 0; j < M; j++) {
      A[i][j] = rng_next() % P;
      B[i][j] = (u64)(i == j);
    }
  put_kv("det(A)", det(A));
  for (int i = 0; i < M; i++)
    for (int j = 0; j < M; j++) C[i][j] = A[j][i];
  put_kv("det(At)", det(C));
  u64 e = 37;
  for (int i = 0; i < M; i++)
    for (int j = 0; j < M; j++) C[i][j] = A[i][j];
  while (e) {
    if (e & 1) mul(B, B, C);
    mul(C, C, C);
    e >>= 1;
  }
  u64 tr = 0, h = 0;
  for (int i = 0; i < M; i++) {
    tr = (tr + B[i][i]) % P;
    for (int j = 0; j < M; j++) h = h * 1000003 + B[i][j];
  }
  put_kv("trace(A^37)", tr);
  put_kx("hash(A^37)", h);
  put_kv("det(A^37)", det(B));
  put_kv("det(A)^37", powmod(det(A), 37));
  return det(B) == powmod(det(A), 37) ? 0 : 1;
}
