/* Guest kernel: a high-half (TTBR1) kernel with an EL0 program, a syscall-like dispatcher, a timer tick
 * and a memcpy, printing through the PL011. Functions meant for probes are global and noinline:
 * kmain, sys_dispatch, sys_write, sys_add, sys_copy, kmemcpy, kstrlen, timer_tick, irq_handle,
 * el0_sync, uart_write. Standalone it uses the GIC and semihosting; under the vmm (entered at EL1) it
 * acknowledges the virtual timer interrupt with HVC #1 and exits with HVC #0. */
typedef unsigned long u64;
typedef unsigned int u32;
typedef unsigned char u8;
typedef long i64;

#define KOFF 0xffffff8000000000UL
#define PA(va) ((u64)(va) - KOFF)
#define NOINLINE __attribute__((noinline, used))
#define SYSREG_R(r)                                   \
  ({                                                  \
    u64 _v;                                           \
    asm volatile("mrs %0, " #r : "=r"(_v)::"memory"); \
    _v;                                               \
  })
#define SYSREG_W(r, v) asm volatile("msr " #r ", %0" ::"r"((u64)(v)) : "memory")

struct frame {
  u64 x[31];
  u64 pad;
};

extern char _user_start[], _user_data[], user_main[], user_return[], el1_vectors[];
extern u64 run_user(u64 entry, u64 sp);

u64 ttbr0_l1[512] __attribute__((aligned(4096)));
u64 ttbr1_l1[512] __attribute__((aligned(4096)));
static u64 user_l2[512] __attribute__((aligned(4096)));
static u64 user_l3[512] __attribute__((aligned(4096)));

static int standalone;
static volatile u64 uart_base = 0x09000000UL; /* physical until the MMU is on */
static volatile u64 jiffies;
static u64 syscalls;
#define TICKS 5
#define TICK_INTERVAL 62500 /* 1 ms at CNTFRQ 62.5 MHz */
#define GICD (KOFF + 0x08000000UL)
#define GICC (KOFF + 0x08010000UL)

#define D_BLOCK 1UL
#define D_TABLE 3UL
#define D_PAGE 3UL
#define D_AF (1UL << 10)
#define D_SH_IS (3UL << 8)
#define D_ATTR(i) ((u64)(i) << 2)
#define D_AP_EL0_RW (1UL << 6)
#define D_AP_RO (2UL << 6)
#define D_AP_EL0_RO (3UL << 6)
#define D_PXN (1UL << 53)
#define D_UXN (1UL << 54)

/* Runs with the MMU off at the physical address: only PC-relative references. */
void boot_tables(u64 is_standalone) {
  standalone = (int)is_standalone;
  ttbr1_l1[0] = 0x0UL | D_AF | D_ATTR(0) | D_PXN | D_UXN | D_BLOCK;              /* devices */
  ttbr1_l1[1] = 0x40000000UL | D_AF | D_SH_IS | D_ATTR(1) | D_UXN | D_BLOCK;     /* RAM */
  ttbr0_l1[1] = 0x40000000UL | D_AF | D_SH_IS | D_ATTR(1) | D_UXN | D_BLOCK;     /* identity, for the jump */
}

NOINLINE void uart_write(const char *s, u64 n) {
  for (u64 i = 0; i < n; i++) {
    while (*(volatile u32 *)(uart_base + 0x18) & (1U << 5)) {
    }
    *(volatile u32 *)uart_base = (u8)s[i];
  }
}

NOINLINE u64 kstrlen(const char *s) {
  u64 n = 0;
  while (s[n]) n++;
  return n;
}

static void puts_(const char *s) { uart_write(s, kstrlen(s)); }

static void putdec(u64 v) {
  char b[24];
  int i = 24;
  do {
    b[--i] = (char)('0' + v % 10);
    v /= 10;
  } while (v);
  uart_write(b + i, (u64)(24 - i));
}

static void puthex(u64 v) {
  char b[18] = "0x";
  int n = 2, started = 0;
  for (int i = 60; i >= 0; i -= 4) {
    int d = (int)((v >> i) & 15);
    if (d || started || i == 0) {
      b[n++] = "0123456789abcdef"[d];
      started = 1;
    }
  }
  uart_write(b, (u64)n);
}

NOINLINE void *kmemcpy(void *dst, const void *src, u64 n) {
  u8 *d = dst;
  const u8 *s = src;
  if ((((u64)d | (u64)s | n) & 7) == 0) {
    for (u64 i = 0; i < n; i += 8) *(u64 *)(d + i) = *(const u64 *)(s + i);
  } else {
    for (u64 i = 0; i < n; i++) d[i] = s[i];
  }
  return dst;
}

__attribute__((noreturn)) static void kexit(u64 code) {
  if (standalone) {
    static volatile u64 block[2];
    block[0] = 0x20026;
    block[1] = code;
    register u64 x0 asm("x0") = 0x18;
    register u64 x1 asm("x1") = (u64)block;
    asm volatile("hlt #0xf000" ::"r"(x0), "r"(x1) : "memory");
  } else {
    register u64 x0 asm("x0") = code;
    asm volatile("hvc #0" ::"r"(x0) : "memory");
  }
  for (;;) {
  }
}

/* ---- system calls from EL0 ---- */

static int user_ptr_ok(u64 p, u64 n) { return p >= 0x400000 && n <= 0x2000 && p + n <= 0x402000; }

NOINLINE i64 sys_write(u64 fd, u64 buf, u64 n) {
  if (fd != 1 || !user_ptr_ok(buf, n)) return -14; /* EFAULT */
  uart_write((const char *)buf, n);
  return (i64)n;
}

NOINLINE i64 sys_add(i64 a, i64 b) { return a + b; }

NOINLINE i64 sys_copy(u64 dst, u64 src, u64 n) {
  if (!user_ptr_ok(dst, n) || !user_ptr_ok(src, n) || dst < (u64)0x401000) return -14;
  kmemcpy((void *)dst, (const void *)src, n);
  return (i64)n;
}

/* The syscall-like dispatcher: x8 = number, x0..x2 = arguments, result in x0. */
NOINLINE i64 sys_dispatch(u64 nr, u64 a0, u64 a1, u64 a2) {
  syscalls++;
  switch (nr) {
    case 64:
      return sys_write(a0, a1, a2);
    case 500:
      return sys_add((i64)a0, (i64)a1);
    case 501:
      return sys_copy(a0, a1, a2);
    default:
      return -38; /* ENOSYS */
  }
}

NOINLINE void el0_sync(struct frame *f) {
  u64 esr = SYSREG_R(esr_el1);
  if ((esr >> 26) != 0x15) {
    puts_("kernel: EL0 fault ESR=");
    puthex(esr);
    puts_(" FAR=");
    puthex(SYSREG_R(far_el1));
    puts_("\n");
    kexit(2);
  }
  if (f->x[8] == 93) { /* exit: back into run_user's caller */
    SYSREG_W(elr_el1, (u64)user_return);
    SYSREG_W(spsr_el1, 0x3c5);
    return;
  }
  f->x[0] = (u64)sys_dispatch(f->x[8], f->x[0], f->x[1], f->x[2]);
}

/* ---- timer ---- */

NOINLINE void timer_tick(void) {
  jiffies++;
  if (jiffies >= TICKS) {
    SYSREG_W(cntv_ctl_el0, 0); /* off */
  } else {
    SYSREG_W(cntv_tval_el0, TICK_INTERVAL);
    SYSREG_W(cntv_ctl_el0, 1); /* enabled, unmasked */
  }
}

NOINLINE void irq_handle(void) {
  if (standalone) {
    u32 iar = *(volatile u32 *)(GICC + 0x0c);
    if ((iar & 0x3ff) == 27) timer_tick();
    *(volatile u32 *)(GICC + 0x10) = iar;
  } else {
    timer_tick();
    asm volatile("hvc #1" ::: "memory"); /* the vmm drops the virtual interrupt */
  }
}

void el1_handler(struct frame *f, u64 idx) {
  if (idx == 1 || idx == 5 || idx == 9) { /* IRQ: current EL (SP0, SPx) or from EL0 */
    irq_handle();
    return;
  }
  if (idx == 8) {
    el0_sync(f);
    return;
  }
  static int in_fault;
  if (in_fault++) kexit(4); /* a fault while reporting a fault: stop */
  puts_("kernel: unexpected exception ESR=");
  puthex(SYSREG_R(esr_el1));
  puts_(" ELR=");
  puthex(SYSREG_R(elr_el1));
  puts_(" FAR=");
  puthex(SYSREG_R(far_el1));
  puts_("\n");
  kexit(3);
}

static void map_user(void) {
  /* VA 0x400000: the .user text page (EL0 read/execute), 0x401000: its data page (EL0 read/write) */
  ttbr0_l1[1] = 0; /* drop the boot identity map */
  ttbr0_l1[0] = PA(user_l2) | D_TABLE;
  user_l2[2] = PA(user_l3) | D_TABLE;
  user_l3[0] = PA(_user_start) | D_AF | D_SH_IS | D_ATTR(1) | D_AP_EL0_RO | D_PXN | D_PAGE;
  user_l3[1] = PA(_user_data) | D_AF | D_SH_IS | D_ATTR(1) | D_AP_EL0_RW | D_PXN | D_UXN | D_PAGE;
  asm volatile("dsb ishst\n\ttlbi vmalle1\n\tdsb ish\n\tisb" ::: "memory");
}

void kmain(void) {
  uart_base = KOFF + 0x09000000UL;
  SYSREG_W(vbar_el1, el1_vectors);
  asm volatile("isb" ::: "memory");
  puts_("guest kernel: ");
  puts_(standalone ? "standalone" : "hosted");
  puts_(", EL");
  putdec(SYSREG_R(currentel) >> 2);
  puts_(", running at ");
  puthex((u64)&kmain);
  puts_("\n");

  static const char src[] = "memcpy through the high half works";
  static char dst[sizeof src];
  kmemcpy(dst, src, sizeof src);
  puts_("kmemcpy: ");
  puts_(dst);
  puts_("\n");

  map_user();
  u64 code = run_user(0x400000 + (u64)(user_main - _user_start), 0x402000);
  puts_("EL0 exited with ");
  putdec(code);
  puts_(" after ");
  putdec(syscalls);
  puts_(" system calls\n");

  if (standalone) {
    *(volatile u32 *)(GICD + 0x000) = 1;       /* distributor on */
    *(volatile u32 *)(GICD + 0x100) = 1U << 27; /* ISENABLER0: virtual timer PPI */
    *(volatile u32 *)(GICC + 0x004) = 0xf0;    /* PMR */
    *(volatile u32 *)(GICC + 0x000) = 1;       /* CPU interface on */
  }
  SYSREG_W(cntv_tval_el0, TICK_INTERVAL);
  SYSREG_W(cntv_ctl_el0, 1);
  asm volatile("msr daifclr, #2" ::: "memory");
  while (jiffies < TICKS) asm volatile("wfi" ::: "memory");
  asm volatile("msr daifset, #2" ::: "memory");
  puts_("timer: ");
  putdec(jiffies);
  puts_(" ticks\n");
  kexit(code == 42 ? 0 : 1);
}
