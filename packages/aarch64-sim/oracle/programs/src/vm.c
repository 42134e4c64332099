/* A tiny bytecode stack machine: a dense switch (jump table) for dispatch, a table of function pointers
 * for built-ins (indirect calls), running programs that count primes and sum a series. */
#include "sys.h"

enum op { PUSH, LOAD, STORE, ADD, SUB, MUL, MOD, LT, JZ, JMP, CALL, PRINT, DUP, DROP, HALT, INC };

static i64 bi_sq(i64 x) { return x * x; }
static i64 bi_neg(i64 x) { return -x; }
static i64 bi_half(i64 x) { return x / 2; }
static i64 bi_bits(i64 x) { return (i64)__builtin_ctzl((u64)x | (1UL << 40)); }
static i64 (*const builtins[])(i64) = {bi_sq, bi_neg, bi_half, bi_bits};

static i64 run(const i64 *code, i64 *mem, u64 *steps) {
  i64 st[64];
  int sp = 0;
  long pc = 0;
  for (;;) {
    (*steps)++;
    switch ((enum op)code[pc++]) {
      case PUSH: st[sp++] = code[pc++]; break;
      case LOAD: st[sp++] = mem[code[pc++]]; break;
      case STORE: mem[code[pc++]] = st[--sp]; break;
      case ADD: sp--; st[sp - 1] += st[sp]; break;
      case SUB: sp--; st[sp - 1] -= st[sp]; break;
      case MUL: sp--; st[sp - 1] *= st[sp]; break;
      case MOD: sp--; st[sp - 1] %= st[sp]; break;
      case LT: sp--; st[sp - 1] = st[sp - 1] < st[sp]; break;
      case JZ: pc = st[--sp] ? pc + 1 : code[pc]; break;
      case JMP: pc = code[pc]; break;
      case CALL: st[sp - 1] = builtins[code[pc++]](st[sp - 1]); break;
      case PRINT: put_i64(st[--sp]); put_char('\n'); break;
      case DUP: st[sp] = st[sp - 1]; sp++; break;
      case DROP: sp--; break;
      case INC: mem[code[pc++]]++; break;
      case HALT: return sp ? st[sp - 1] : 0;
    }
  }
}

/* count primes below mem[0] by trial division: mem[1] = n, mem[2] = d, mem[3] = count */
static const i64 primes[] = {
    PUSH, 2, STORE, 1,                                   /* 0: n = 2 */
    LOAD, 1, LOAD, 0, LT, JZ, 44,                        /* 4: while n < limit */
    PUSH, 2, STORE, 2,                                   /* 11: d = 2 */
    LOAD, 2, CALL, 0, LOAD, 1, PUSH, 1, ADD, LT, JZ, 38, /* 15: while d * d < n + 1 */
    LOAD, 1, LOAD, 2, MOD, JZ, 40,                       /* 27: n % d == 0: not prime */
    INC, 2, JMP, 15,                                     /* 34: d++ */
    INC, 3,                                              /* 38: count++ */
    INC, 1, JMP, 4,                                      /* 40: n++ */
    LOAD, 3, HALT,                                       /* 44 */
};

/* sum over i in 1..mem[0] of half(neg(sq(i))) + bits(i): mem[4] = i, mem[5] = sum */
static const i64 series[] = {
    PUSH, 0, STORE, 5, PUSH, 1, STORE, 4,                 /* 0 */
    LOAD, 4, LOAD, 0, PUSH, 1, ADD, LT, JZ, 40,           /* 8: while i < limit + 1 */
    LOAD, 4, CALL, 0, CALL, 1, CALL, 2,                   /* 18 */
    LOAD, 4, CALL, 3, ADD,                                /* 26 */
    LOAD, 5, ADD, STORE, 5, INC, 4, JMP, 8,               /* 31 */
    LOAD, 5, DUP, PRINT, HALT,                            /* 40 */
};

int main(void) {
  i64 mem[8] = {0};
  u64 steps = 0;
  mem[0] = 3000;
  i64 np = run(primes, mem, &steps);
  put_kv("primes<3000", (u64)np);
  for (int i = 0; i < 8; i++) mem[i] = 0;
  mem[0] = 500;
  i64 s = run(series, mem, &steps);
  put_kv("steps", steps);
  return (int)((u64)(np + s) & 0xff);
}
