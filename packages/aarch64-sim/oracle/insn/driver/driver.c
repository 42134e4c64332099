/*
 * Single-instruction test driver for qemu-aarch64 (see ../../README.md, section 1).
 *
 * Reads from stdin: the scratch buffer's initial contents (SCRATCH_SIZE bytes), then test records
 * (struct in_rec). V0-V31, FPSR and FPCR go through the signal frame's FPSIMD record and, under
 * -cpu max, its SVE record (QEMU restores the Z registers from it: their low 128 bits are the V registers). For each test it writes the words into the RWX code region, loads the whole register
 * state through rt_sigreturn, and lets the test run until the first signal (normally the `brk #0` that
 * follows the words). The signal handler writes one struct out_rec per test to stdout.
 *
 * Freestanding: no libc, raw Linux syscalls. Build:
 *   aarch64-linux-gnu-gcc -O2 -ffreestanding -nostdlib -static -fno-pic -no-pie -mgeneral-regs-only \
 *     -o driver.elf driver.c
 */
typedef unsigned long u64;
typedef unsigned int u32;
typedef unsigned short u16;
typedef unsigned char u8;

#define CODE_BASE 0x30000000UL
#define CODE_SIZE 0x10000UL
#define SCRATCH_BASE 0x20000000UL
#define SCRATCH_SIZE 0x2000UL
#define BRK0 0xd4200000U
#define MAX_WORDS 3
#define MEM_WINDOW 512

struct in_rec {
  u64 pc;
  u32 nwords;
  u32 words[MAX_WORDS];
  u64 x[31];
  u64 sp;
  u64 nzcv; /* 4-bit value, N<<3|Z<<2|C<<1|V */
  u64 tpidr;
  u64 v[64]; /* V0-V31, low then high doubleword */
  u64 fpsr;
  u64 fpcr;
}; /* 824 bytes */

struct out_rec {
  u64 sig;
  u64 pc;
  u64 addr;
  u64 x[31];
  u64 sp;
  u64 nzcv;
  u64 tpidr;
  u64 v[64];
  u64 fpsr;
  u64 fpcr;
  u32 mem_lo; /* first changed scratch offset, or 0xffffffff if none */
  u32 mem_hi; /* last changed offset + 1 */
  u8 mem[MEM_WINDOW]; /* scratch bytes from mem_lo (after the test) */
}; /* 1344 bytes */

/* Linux AArch64 kernel ABI layouts (asm/sigcontext.h, asm/ucontext.h, asm-generic/siginfo.h). */
struct k_sigaction {
  void *handler;
  u64 flags;
  void *restorer;
  u64 mask;
};
struct k_stack {
  void *sp;
  int flags;
  int pad;
  u64 size;
};
struct k_siginfo {
  int signo;
  int errno_;
  int code;
  int pad;
  u64 addr;
};
struct k_sigcontext {
  u64 fault_address;
  u64 regs[31];
  u64 sp;
  u64 pc;
  u64 pstate;
  u8 reserved[4096] __attribute__((aligned(16))); /* records: {u32 magic, u32 size, ...}, 0 ends */
};
#define FPSIMD_MAGIC 0x46508001U
#define SVE_MAGIC 0x53564501U
struct k_ucontext {
  u64 flags;
  void *link;
  struct k_stack stack;
  u64 sigmask;
  u8 unused[120];
  struct k_sigcontext mc __attribute__((aligned(16)));
};

#define SA_SIGINFO 0x4UL
#define SA_ONSTACK 0x08000000UL
#define SA_RESTORER 0x04000000UL

static long sys6(long n, long a, long b, long c, long d, long e, long f) {
  register long x8 asm("x8") = n, x0 asm("x0") = a, x1 asm("x1") = b, x2 asm("x2") = c;
  register long x3 asm("x3") = d, x4 asm("x4") = e, x5 asm("x5") = f;
  asm volatile("svc #0" : "+r"(x0) : "r"(x8), "r"(x1), "r"(x2), "r"(x3), "r"(x4), "r"(x5) : "memory");
  return x0;
}
#define SYS_read 63
#define SYS_write 64
#define SYS_exit_group 94
#define SYS_sigaltstack 132
#define SYS_rt_sigaction 134
#define SYS_mmap 222

static void die(int code) {
  sys6(SYS_exit_group, code, 0, 0, 0, 0, 0);
  for (;;) {
  }
}

static u8 outbuf[1344 * 64];
static u64 outlen;
static void flush(void) {
  u64 off = 0;
  while (off < outlen) {
    long n = sys6(SYS_write, 1, (long)(outbuf + off), (long)(outlen - off), 0, 0, 0);
    if (n <= 0) die(3);
    off += (u64)n;
  }
  outlen = 0;
}

/* Reads exactly len bytes; returns 0 at a clean EOF before the first byte, dies on a short record. */
static int read_full(void *dst, u64 len) {
  u64 off = 0;
  while (off < len) {
    long n = sys6(SYS_read, 0, (long)((u8 *)dst + off), (long)(len - off), 0, 0, 0);
    if (n < 0) die(4);
    if (n == 0) {
      if (off == 0) return 0;
      die(5);
    }
    off += (u64)n;
  }
  return 1;
}

static u8 pristine[SCRATCH_SIZE] __attribute__((aligned(16)));
static u8 altstack[65536] __attribute__((aligned(16)));
static struct in_rec cur;
static int started;

static void sync_code(u64 addr) {
  asm volatile("dc cvau, %0\n\tdsb ish\n\tic ivau, %0\n\tdsb ish\n\tisb" : : "r"(addr) : "memory");
}

static void put_words(const struct in_rec *t, int restore) {
  volatile u32 *p = (volatile u32 *)t->pc;
  for (u32 i = 0; i < t->nwords; i++) {
    p[i] = restore ? BRK0 : t->words[i];
    sync_code((u64)&p[i]);
  }
}

static void record(int sig, const struct k_siginfo *si, struct k_sigcontext *mc) {
  struct out_rec *o = (struct out_rec *)(outbuf + outlen);
  o->sig = (u64)sig;
  o->pc = mc->pc;
  o->addr = (sig == 7 || sig == 11) ? si->addr : 0;
  for (int i = 0; i < 31; i++) o->x[i] = mc->regs[i];
  o->sp = mc->sp;
  o->nzcv = (mc->pstate >> 28) & 0xf;
  u64 tp;
  asm volatile("mrs %0, tpidr_el0" : "=r"(tp));
  o->tpidr = tp;
  for (u8 *p = (u8 *)mc->reserved; p + 8 <= (u8 *)mc->reserved + sizeof mc->reserved;) {
    u32 magic = *(u32 *)p, size = *(u32 *)(p + 4);
    if (magic == 0 || size == 0) break;
    if (magic == FPSIMD_MAGIC) {
      o->fpsr = *(u32 *)(p + 8);
      o->fpcr = *(u32 *)(p + 12);
      for (int i = 0; i < 64; i++) o->v[i] = *(u64 *)(p + 16 + 8 * i);
    }
    p += size;
  }
  /* changed scratch bytes: find the range, copy a window from its start, then restore the buffer */
  volatile u8 *s = (volatile u8 *)SCRATCH_BASE;
  u32 lo = 0xffffffffU, hi = 0;
  for (u32 i = 0; i < SCRATCH_SIZE; i += 8) {
    if (*(volatile u64 *)(s + i) == *(const u64 *)(pristine + i)) continue;
    for (u32 j = i; j < i + 8; j++) {
      if (s[j] != pristine[j]) {
        if (lo == 0xffffffffU) lo = j;
        hi = j + 1;
      }
    }
  }
  o->mem_lo = lo;
  o->mem_hi = hi;
  for (u32 i = 0; i < MEM_WINDOW; i++)
    o->mem[i] = (lo != 0xffffffffU && lo + i < SCRATCH_SIZE) ? s[lo + i] : 0;
  if (lo != 0xffffffffU)
    for (u32 j = lo; j < hi; j++) s[j] = pristine[j];
  outlen += sizeof(struct out_rec);
}

static void handler(int sig, struct k_siginfo *si, void *ucv) {
  struct k_ucontext *uc = (struct k_ucontext *)ucv;
  if (started) {
    record(sig, si, &uc->mc);
    put_words(&cur, 1);
    if (outlen + sizeof(struct out_rec) > sizeof outbuf) flush();
  }
  started = 1;
  if (!read_full(&cur, sizeof cur)) {
    flush();
    die(0);
  }
  if (cur.nwords < 1 || cur.nwords > MAX_WORDS || cur.pc < CODE_BASE || (cur.pc & 3) ||
      cur.pc + 4 * (cur.nwords + 1) > CODE_BASE + CODE_SIZE)
    die(6);
  put_words(&cur, 0);
  for (int i = 0; i < 31; i++) uc->mc.regs[i] = cur.x[i];
  uc->mc.sp = cur.sp;
  uc->mc.pc = cur.pc;
  uc->mc.pstate = (cur.nzcv & 0xf) << 28; /* EL0t, DAIF clear, BTYPE 0 */
  for (u8 *p = uc->mc.reserved; p + 8 <= uc->mc.reserved + sizeof uc->mc.reserved;) {
    u32 magic = *(u32 *)p, size = *(u32 *)(p + 4);
    if (magic == 0 || size == 0) break;
    if (magic == FPSIMD_MAGIC) {
      *(u32 *)(p + 8) = (u32)cur.fpsr;
      *(u32 *)(p + 12) = (u32)cur.fpcr;
      for (int i = 0; i < 64; i++) *(u64 *)(p + 16 + 8 * i) = cur.v[i];
    } else if (magic == SVE_MAGIC && size > 16) {
      u32 vl = *(u16 *)(p + 8); /* bytes per Z register; Z0-Z31 follow the 16-byte header */
      for (u32 i = 0; i < 32; i++) {
        u8 *z = p + 16 + i * vl;
        for (u32 b = 0; b < vl; b++) z[b] = 0;
        for (u32 b = 0; b < 16; b++) z[b] = ((u8 *)&cur.v[2 * i])[b];
      }
    }
    p += size;
  }
  asm volatile("msr tpidr_el0, %0\n\tclrex" : : "r"(cur.tpidr) : "memory");
}

static void restorer(void) {
  asm volatile("mov x8, #139\n\tsvc #0");
}

void _start(void) {
  if (sys6(SYS_mmap, CODE_BASE, CODE_SIZE, 7, 0x32 /* MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED */, -1, 0) !=
      (long)CODE_BASE)
    die(10);
  if (sys6(SYS_mmap, SCRATCH_BASE, SCRATCH_SIZE, 3, 0x32, -1, 0) != (long)SCRATCH_BASE) die(11);
  volatile u32 *code = (volatile u32 *)CODE_BASE;
  for (u64 i = 0; i < CODE_SIZE / 4; i++) code[i] = BRK0;
  for (u64 i = 0; i < CODE_SIZE; i += 64) sync_code(CODE_BASE + i);
  if (!read_full(pristine, SCRATCH_SIZE)) die(12);
  u8 *s = (u8 *)SCRATCH_BASE;
  for (u64 i = 0; i < SCRATCH_SIZE; i++) s[i] = pristine[i];

  struct k_stack ss = {altstack, 0, 0, sizeof altstack};
  if (sys6(SYS_sigaltstack, (long)&ss, 0, 0, 0, 0, 0) != 0) die(13);
  struct k_sigaction sa = {(void *)handler, SA_SIGINFO | SA_ONSTACK | SA_RESTORER, (void *)restorer, 0};
  static const int sigs[] = {4, 5, 7, 11};
  for (int i = 0; i < 4; i++)
    if (sys6(SYS_rt_sigaction, sigs[i], (long)&sa, 0, 8, 0, 0) != 0) die(14);
  asm volatile("brk #0" ::: "memory"); /* first entry: loads test 0 */
  die(15);                             /* not reached: the handler exits at EOF */
}
