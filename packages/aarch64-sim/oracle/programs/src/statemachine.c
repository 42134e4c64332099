/* State machines: a tokenizer feeding a shunting-yard expression evaluator, and a run-length
 * encoder/decoder. */
#include "sys.h"

enum tok { T_NUM, T_OP, T_LP, T_RP, T_END, T_ERR };

struct lexer {
  const char *p;
  i64 num;
  char op;
};

static enum tok next(struct lexer *lx) {
  enum { S_START, S_NUM } state = S_START;
  for (;;) {
    char c = *lx->p;
    switch (state) {
      case S_START:
        if (c == ' ') {
          lx->p++;
          continue;
        }
        if (c >= '0' && c <= '9') {
          lx->num = 0;
          state = S_NUM;
          continue;
        }
        lx->p++;
        switch (c) {
          case 0: lx->p--; return T_END;
          case '(': return T_LP;
          case ')': return T_RP;
          case '+': case '-': case '*': case '/': case '%': case '&': case '|': case '^':
            lx->op = c;
            return T_OP;
          default: return T_ERR;
        }
      case S_NUM:
        if (c >= '0' && c <= '9') {
          lx->num = lx->num * 10 + (c - '0');
          lx->p++;
          continue;
        }
        return T_NUM;
    }
  }
}

static int prec(char op) {
  switch (op) {
    case '|': return 1;
    case '^': return 2;
    case '&': return 3;
    case '+': case '-': return 4;
    default: return 5;
  }
}

static int apply(i64 *st, int *sp, char op) {
  if (*sp < 2) return -1;
  i64 b = st[--*sp], a = st[--*sp], r;
  switch (op) {
    case '+': r = a + b; break;
    case '-': r = a - b; break;
    case '*': r = a * b; break;
    case '/': if (b == 0) return -1; r = a / b; break;
    case '%': if (b == 0) return -1; r = a % b; break;
    case '&': r = a & b; break;
    case '|': r = a | b; break;
    default: r = a ^ b; break;
  }
  st[(*sp)++] = r;
  return 0;
}

static int eval(const char *s, i64 *out) {
  struct lexer lx = {s, 0, 0};
  i64 vals[32];
  char ops[32];
  int nv = 0, no = 0;
  for (;;) {
    enum tok t = next(&lx);
    if (t == T_NUM) {
      if (nv == 32) return -1;
      vals[nv++] = lx.num;
    } else if (t == T_OP) {
      while (no && ops[no - 1] != '(' && prec(ops[no - 1]) >= prec(lx.op))
        if (apply(vals, &nv, ops[--no])) return -1;
      if (no == 32) return -1;
      ops[no++] = lx.op;
    } else if (t == T_LP) {
      if (no == 32) return -1;
      ops[no++] = '(';
    } else if (t == T_RP) {
      while (no && ops[no - 1] != '(')
        if (apply(vals, &nv, ops[--no])) return -1;
      if (!no) return -1;
      no--;
    } else if (t == T_END) {
      while (no) {
        if (ops[no - 1] == '(') return -1;
        if (apply(vals, &nv, ops[--no])) return -1;
      }
      if (nv != 1) return -1;
      *out = vals[0];
      return 0;
    } else {
      return -1;
    }
  }
}

static size_t rle_encode(const u8 *in, size_t n, u8 *out) {
  size_t o = 0;
  for (size_t i = 0; i < n;) {
    size_t run = 1;
    while (i + run < n && in[i + run] == in[i] && run < 255) run++;
    out[o++] = (u8)run;
    out[o++] = in[i];
    i += run;
  }
  return o;
}

static size_t rle_decode(const u8 *in, size_t n, u8 *out) {
  size_t o = 0;
  for (size_t i = 0; i + 1 < n; i += 2)
    for (u8 k = 0; k < in[i]; k++) out[o++] = in[i + 1];
  return o;
}

int main(void) {
  static const char *exprs[] = {
      "1 + 2 * 3", "(1 + 2) * 3", "100 / 7 % 5", "2*(3+4)*(5-6)", "255 & 15 | 64 ^ 3",
      "1000000007 * 1000000009 % 998244353", "((((42))))", "7 / 0", "1 + ", "3 $ 4", "0 - 9223372036854775807 - 1",
  };
  int errors = 0;
  for (u32 i = 0; i < sizeof exprs / sizeof exprs[0]; i++) {
    i64 v;
    put_str(exprs[i]);
    put_str(" => ");
    if (eval(exprs[i], &v)) {
      put_str("error");
      errors++;
    } else {
      put_i64(v);
    }
    put_char('\n');
  }
  u8 raw[600], enc[1200], dec[600];
  for (int i = 0; i < 600; i++) raw[i] = (u8)((i / 37) % 5 == 0 ? 'a' : 'a' + (rng_next() & 1));
  size_t ne = rle_encode(raw, sizeof raw, enc);
  size_t nd = rle_decode(enc, ne, dec);
  put_kv("rle_encoded", ne);
  put_kv("rle_roundtrip", nd == sizeof raw && memcmp(raw, dec, nd) == 0);
  return errors;
}
