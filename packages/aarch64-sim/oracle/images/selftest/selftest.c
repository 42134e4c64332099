/* EL1 self-test: drops from EL2 to EL1 (no stage 2), builds stage-1 tables and checks translation,
 * permission, access-flag, execute-never and alignment faults, AT S1E1R/PAR_EL1, a TTBR1 alias, EL0
 * exceptions and traps, a PC alignment fault, and the EL1 physical timer through the GICv2 (with
 * ISR_EL1 while masked). Every exception prints an EXC line (as in the scenario image); the exit code is
 * the number of failed checks. */
#include "../common/rt.h"

extern char el1_vectors[], el0_code[], xn_func[], el0_return[];
extern void drop_to_el1(u64 entry, u64 sp);
extern void run_el0(u64 entry, u64 sp);
extern void call_misaligned(void);
extern u64 ldxr_at(u64 addr);

static u64 l1[512] __attribute__((aligned(4096)));
static u64 l2[512] __attribute__((aligned(4096)));
static u64 l3[512] __attribute__((aligned(4096)));
static u64 hi_l1[512] __attribute__((aligned(4096)));
static volatile u64 pg_ro[512] __attribute__((section(".pages.ro"), aligned(4096))) = {0x5151};
static volatile u64 pg_noaf[512] __attribute__((section(".pages.noaf"), aligned(4096))) = {0xaf};
static volatile u64 pg_invalid[512] __attribute__((section(".pages.invalid"), aligned(4096)));
volatile u64 el0_forbidden[512] __attribute__((section(".pages.priv"), aligned(4096))) = {0x77};
static u64 el0_stack[512] __attribute__((section(".pages.el0stack"), aligned(4096)));
static u64 el1_stack[2048] __attribute__((aligned(16)));

static const char *volatile test = "boot";
static volatile u64 fails, ticks, irqs_seen;
static volatile u64 last_ec;

#define AF (1UL << 10)
#define SH_IS (3UL << 8)
#define ATTR(i) ((u64)(i) << 2)
#define AP_EL0_RW (1UL << 6)
#define AP_RO (2UL << 6)
#define AP_EL0_RO (3UL << 6)
#define PXN (1UL << 53)
#define UXN (1UL << 54)
#define PAGE 3UL
#define HI_ALIAS(p) ((u64)(p) - 0x40000000UL + 0xffffffff40000000UL)
#define TIMER_PPI 30 /* EL1 physical timer */

static u64 *pte(const volatile void *va) { return &l3[((u64)va - 0x40000000UL) >> 12]; }

static void tlb_flush(void) { asm volatile("dsb ishst\n\ttlbi vmalle1\n\tdsb ish\n\tisb" ::: "memory"); }

static void check(const char *what, u64 got, u64 want) {
  uart_puts("  check ");
  uart_puts(what);
  uart_puts(got == want ? " OK " : " FAIL ");
  uart_hex(got);
  uart_puts("\n");
  if (got != want) fails++;
}

void el1_handler(struct frame *f, u64 idx) {
  u64 esr = SYSREG_R(esr_el1), elr = SYSREG_R(elr_el1), far = SYSREG_R(far_el1), spsr = SYSREG_R(spsr_el1);
  u64 ec = esr >> 26;
  if (idx == 5) { /* IRQ, current EL with SP_EL1 */
    u32 iar = mmio_r32(GICC_BASE + 0x0c);
    if ((iar & 0x3ff) == TIMER_PPI) {
      ticks++;
      if (ticks < 3) {
        SYSREG_W(cntp_tval_el0, 62500);
      } else {
        SYSREG_W(cntp_ctl_el0, 0);
      }
    }
    irqs_seen++;
    mmio_w32(GICC_BASE + 0x10, iar);
    return;
  }
  last_ec = ec;
  uart_puts("EXC ");
  uart_puts(test);
  uart_puts(" EL1 vec=");
  uart_hex(idx * 0x80);
  uart_puts(" ESR=");
  uart_hex(esr);
  uart_puts(" EC=");
  uart_hex(ec);
  uart_puts(" ISS=");
  uart_hex(esr & 0x1ffffff);
  uart_puts(" ELR=");
  uart_hex(elr);
  if (ec == 0x20 || ec == 0x21 || ec == 0x22 || ec == 0x24 || ec == 0x25) {
    uart_puts(" FAR=");
    uart_hex(far);
  }
  uart_puts(" SPSR=");
  uart_hex(spsr);
  uart_puts("\n");
  u64 fsc = esr & 0x3f;
  switch (ec) {
    case 0x15: /* SVC: ELR is the next instruction */
      if ((esr & 0xffff) == 0xff) {
        SYSREG_W(elr_el1, (u64)el0_return);
        SYSREG_W(spsr_el1, 0x3c5);
      }
      return;
    case 0x25: /* data abort at EL1 */
      if ((fsc & 0x3c) == 0x08) { /* access flag fault: set AF and retry */
        *pte((void *)far) |= AF;
        tlb_flush();
        return;
      }
      SYSREG_W(elr_el1, elr + 4);
      return;
    case 0x21: /* instruction abort at EL1: return to the caller */
    case 0x22: /* PC alignment fault: same */
      SYSREG_W(elr_el1, f->x[30]);
      return;
    default: /* BRK, UNDEFINED, EL0 traps and aborts: skip the instruction */
      SYSREG_W(elr_el1, elr + 4);
      return;
  }
}

static u64 at_s1e1r(u64 va) {
  asm volatile("at s1e1r, %0\n\tisb" ::"r"(va) : "memory");
  return SYSREG_R(par_el1);
}

static u64 load(u64 va) {
  u64 v;
  asm volatile("ldr %0, [%1]" : "=r"(v) : "r"(va) : "memory");
  return v;
}

void el1_main(void) {
  uart_puts("selftest: EL");
  uart_dec(SYSREG_R(currentel) >> 2);
  uart_puts(" SCTLR_EL1=");
  uart_hex(SYSREG_R(sctlr_el1));
  uart_puts(" CNTFRQ=");
  uart_dec(SYSREG_R(cntfrq_el0));
  uart_puts("\n");
  SYSREG_W(vbar_el1, el1_vectors);

  /* TTBR0: 4 GiB identity (T0SZ=32): devices 0-1 GiB, RAM 1-2 GiB with the first 2 MiB in pages.
     TTBR1 (T1SZ=32): 0xffffffff40000000 aliases RAM. */
  l1[0] = 0x0UL | AF | ATTR(0) | PXN | UXN | 1;
  l1[1] = (u64)l2 | 3;
  l2[0] = (u64)l3 | 3;
  for (u64 i = 1; i < 512; i++) l2[i] = (0x40000000UL + (i << 21)) | AF | SH_IS | ATTR(1) | UXN | 1;
  for (u64 i = 0; i < 512; i++) l3[i] = (0x40000000UL + (i << 12)) | AF | SH_IS | ATTR(1) | UXN | PAGE;
  *pte(pg_ro) |= AP_RO;
  *pte(pg_noaf) &= ~AF;
  *pte(pg_invalid) = 0;
  *pte(xn_func) |= PXN;
  *pte(el0_code) = (*pte(el0_code) & ~UXN) | AP_EL0_RO | PXN;
  *pte(el0_stack) |= AP_EL0_RW | PXN;
  hi_l1[1] = 0x40000000UL | AF | SH_IS | ATTR(1) | UXN | 1;
  SYSREG_W(mair_el1, 0xff04UL);
  SYSREG_W(tcr_el1, 32UL | (1UL << 8) | (1UL << 10) | (3UL << 12) | (32UL << 16) | (1UL << 24) | (1UL << 26) |
                        (3UL << 28) | (2UL << 30));
  SYSREG_W(ttbr0_el1, l1);
  SYSREG_W(ttbr1_el1, hi_l1);
  tlb_flush();
  SYSREG_W(sctlr_el1, SYSREG_R(sctlr_el1) | 1 | (1 << 2) | (1 << 12)); /* M, C, I (A and SA stay 0) */
  ISB();
  uart_puts("MMU on\n");

  test = "ttbr1-alias";
  check("high-half alias reads the same word", load(HI_ALIAS(pg_ro)), 0x5151);
  test = "at-s1e1r";
  uart_puts("  PAR(mapped)=");
  uart_hex(at_s1e1r((u64)pg_ro));
  uart_puts(" PAR(invalid page)=");
  uart_hex(at_s1e1r((u64)pg_invalid));
  uart_puts(" PAR(unmapped 3 GiB)=");
  uart_hex(at_s1e1r(0xc0000000UL));
  uart_puts("\n");
  check("AT on a mapped page: PA", at_s1e1r((u64)pg_ro) & 0xfffffffff000UL, (u64)pg_ro);
  check("AT on an invalid page: F", at_s1e1r((u64)pg_invalid) & 1, 1);

  test = "translation-fault-l3";
  load((u64)pg_invalid);
  check("EC", last_ec, 0x25);
  test = "translation-fault-l1";
  load(0xc0000008UL);
  test = "permission-fault-write";
  pg_ro[1] = 1;
  check("read-only page unchanged", pg_ro[1], 0);
  test = "access-flag-fault";
  check("access flag set by the handler", load((u64)pg_noaf), 0xaf);
  test = "xn-fetch";
  last_ec = 0;
  ((void (*)(void))xn_func)();
  check("EC", last_ec, 0x21);
  test = "alignment-fault-ldxr";
  ldxr_at((u64)pg_ro + 4);
  test = "pc-alignment";
  call_misaligned();
  check("EC", last_ec, 0x22);
  test = "el1-svc";
  asm volatile("svc #0x21" ::: "memory");
  test = "el1-brk";
  asm volatile("brk #0x22" ::: "memory");
  test = "el1-undef";
  asm volatile(".inst 0x00000023" ::: "memory");

  test = "el0";
  run_el0((u64)el0_code, (u64)(el0_stack + 512));
  uart_puts("back from EL0\n");

  test = "timer";
  mmio_w32(GICD_BASE + 0x000, 1);
  mmio_w32(GICD_BASE + 0x100, 1U << TIMER_PPI);
  mmio_w32(GICC_BASE + 0x004, 0xf0);
  mmio_w32(GICC_BASE + 0x000, 1);
  SYSREG_W(cntp_tval_el0, 0); /* fires at once, but PSTATE.I is set */
  SYSREG_W(cntp_ctl_el0, 1);
  ISB();
  u64 spin = 0;
  while (!(SYSREG_R(isr_el1) & (1UL << 7)) && spin < 1000000) spin++;
  check("ISR_EL1.I while masked", SYSREG_R(isr_el1) & (1UL << 7), 1UL << 7);
  check("no IRQ taken while masked", irqs_seen, 0);
  u64 t0 = SYSREG_R(cntvct_el0);
  asm volatile("msr daifclr, #2" ::: "memory");
  while (ticks < 3) asm volatile("wfi" ::: "memory");
  asm volatile("msr daifset, #2" ::: "memory");
  check("timer ticks", ticks, 3);
  check("virtual counter advanced 2 ms or more", SYSREG_R(cntvct_el0) - t0 >= 125000, 1);

  uart_puts("selftest: done, fails=");
  uart_dec(fails);
  uart_puts("\n");
  semi_exit(fails);
}

int main(void) {
  SYSREG_W(hcr_el2, 1UL << 31);                  /* EL1 is AArch64, no stage 2, no traps */
  SYSREG_W(cnthctl_el2, SYSREG_R(cnthctl_el2) | 3); /* EL1 may use the physical counter and timer */
  SYSREG_W(cntvoff_el2, 0);
  SYSREG_W(sctlr_el1, 0x30d00800UL);
  drop_to_el1((u64)el1_main, (u64)(el1_stack + 2048));
  return 99;
}
