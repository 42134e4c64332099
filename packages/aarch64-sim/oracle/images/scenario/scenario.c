/* Scenario image: records the syndrome registers (ESR, FAR, HPFAR, ELR, SPSR) of every exception the
 * probes rely on, on QEMU -M virt,virtualization=on -cpu cortex-a57. EL2 builds stage-2 tables and runs a
 * guest at EL1 (with its own stage-1 tables) from this same image; each exception prints one line
 *   EXC <test> EL<n> vec=<offset> ESR=... EC=... ISS=... ELR=... [FAR=...] [HPFAR=...] SPSR=...
 * and the exit code is the number of failed checks. */
#include "../common/rt.h"

extern char el2_vectors[], el1_vectors[], guest_xn_func[], guest_probe_target[], el2_brk_site[], el2_after_guest[];
extern void enter_guest(u64 entry, u64 sp);
extern u64 el2_brk(void);
extern u64 el2_selfstep(void);
extern u64 guest_step_body(void);
extern void guest_svc(void), guest_udf(void), guest_wfi(void);

/* stage 2 (EL2) */
static u64 s2_l1[512] __attribute__((aligned(4096)));
static u64 s2_l2[512] __attribute__((aligned(4096)));
static u64 s2_l3[512] __attribute__((aligned(4096)));
/* guest stage 1: the L1 table, and the L2 table of the alias region in a page of its own */
static u64 g_l1[512] __attribute__((aligned(4096)));
static u64 g_alias_l2[512] __attribute__((section(".pages.s1l2"), aligned(4096)));
static volatile u64 guest_ro_data[512] __attribute__((section(".pages.ro"), aligned(4096))) = {0x1111};
static u64 guest_stack[1024] __attribute__((aligned(16)));

static const char *volatile test = "boot";
static volatile u64 fails;
static volatile int steps;

#define S2_AF (1UL << 10)
#define S2_SH_IS (3UL << 8)
#define S2AP(x) ((u64)(x) << 6)
#define S2_NORMAL (0xfUL << 2)
#define S2_DEVICE (0x1UL << 2)
#define S2_XN (1UL << 54)
#define S1_AF (1UL << 10)
#define S1_SH_IS (3UL << 8)
#define S1_ATTR(i) ((u64)(i) << 2) /* MAIR index: 0 device, 1 normal */
#define ALIAS(p) ((u64)(p) - 0x40000000UL + 0x80000000UL)
#define GUEST_MMIO 0xc0000000UL
#define HCR_VM (1UL << 0)
#define HCR_TWI (1UL << 13)
#define HCR_TID3 (1UL << 18)
#define HCR_TVM (1UL << 26)
#define HCR_RW (1UL << 31)
#define MDCR_TDE (1UL << 8)
#define MDSCR_SS (1UL << 0)
#define MDSCR_KDE (1UL << 13)
#define SPSR_SS (1UL << 21)

static void check(const char *what, u64 got, u64 want) {
  uart_puts("  check ");
  uart_puts(what);
  uart_puts(got == want ? " OK " : " FAIL ");
  uart_hex(got);
  uart_puts("\n");
  if (got != want) fails++;
}

static void report(int el, u64 vec, u64 esr, u64 elr, u64 far, int has_far, u64 hpfar, int has_hpfar, u64 spsr) {
  uart_puts("EXC ");
  uart_puts(test);
  uart_puts(el == 2 ? " EL2 vec=" : " EL1 vec=");
  uart_hex(vec);
  uart_puts(" ESR=");
  uart_hex(esr);
  uart_puts(" EC=");
  uart_hex(esr >> 26);
  uart_puts(" ISS=");
  uart_hex(esr & 0x1ffffff);
  uart_puts(" ELR=");
  uart_hex(elr);
  if (has_far) {
    uart_puts(" FAR=");
    uart_hex(far);
  }
  if (has_hpfar) {
    uart_puts(" HPFAR=");
    uart_hex(hpfar);
  }
  uart_puts(" SPSR=");
  uart_hex(spsr);
  uart_puts("\n");
}

static void code_sync(u64 addr) {
  asm volatile("dc cvau, %0\n\tdsb ish\n\tic ivau, %0\n\tdsb ish\n\tisb" ::"r"(addr) : "memory");
}

static void s2_flush(void) {
  asm volatile("dsb ishst\n\ttlbi vmalls12e1is\n\tdsb ish\n\tisb" ::: "memory");
}

static u64 *s2_pte(u64 ipa) { return &s2_l3[(ipa - 0x40000000UL) >> 12]; }

static u32 probe_saved;

/* ---------------- EL2 ---------------- */

void el2_handler(struct frame *f, u64 idx) {
  u64 esr = SYSREG_R(esr_el2), elr = SYSREG_R(elr_el2), far = SYSREG_R(far_el2);
  u64 hpfar = SYSREG_R(hpfar_el2), spsr = SYSREG_R(spsr_el2);
  u64 ec = esr >> 26, iss = esr & 0x1ffffff;
  int abort = ec == 0x20 || ec == 0x21 || ec == 0x24 || ec == 0x25;
  report(2, idx * 0x80, esr, elr, far, abort, hpfar, ec == 0x20 || ec == 0x24, spsr);
  u64 ipa_page = (hpfar >> 4) << 12;
  switch (ec) {
    case 0x3c: /* BRK */
      if ((iss & 0xffff) == 4 && elr == (u64)guest_probe_target) {
        /* injected guest probe: put the original instruction back and re-execute it */
        *(volatile u32 *)guest_probe_target = probe_saved;
        code_sync((u64)guest_probe_target);
      } else {
        SYSREG_W(elr_el2, elr + 4);
      }
      return;
    case 0x16: /* HVC: ELR is already the next instruction */
      switch (iss & 0xffff) {
        case 0x201:
          SYSREG_W(mdcr_el2, SYSREG_R(mdcr_el2) & ~MDCR_TDE);
          return;
        case 0x202:
          SYSREG_W(mdcr_el2, SYSREG_R(mdcr_el2) | MDCR_TDE);
          return;
        case 0x200:
          SYSREG_W(hcr_el2, SYSREG_R(hcr_el2) | HCR_TVM | HCR_TWI | HCR_TID3);
          return;
        case 0x203:
          SYSREG_W(hcr_el2, SYSREG_R(hcr_el2) & ~(HCR_TVM | HCR_TWI | HCR_TID3));
          return;
        case 0x100: /* step the guest: 3 instructions */
          steps = 0;
          SYSREG_W(mdscr_el1, SYSREG_R(mdscr_el1) | MDSCR_SS);
          SYSREG_W(spsr_el2, spsr | SPSR_SS);
          return;
        case 0x300: /* inject BRK #4 into the guest's probe target */
          probe_saved = *(volatile u32 *)guest_probe_target;
          *(volatile u32 *)guest_probe_target = 0xd4200080;
          code_sync((u64)guest_probe_target);
          return;
        case 0x301: /* guest stage-1 table page: no stage-2 access */
          *s2_pte((u64)g_alias_l2) &= ~S2AP(3);
          s2_flush();
          return;
        case 0xffff: /* guest done: return to EL2 code */
          SYSREG_W(elr_el2, (u64)el2_after_guest);
          SYSREG_W(spsr_el2, 0x3c9);
          return;
        default:
          return;
      }
    case 0x20: /* stage-2 instruction abort */
    case 0x24: /* stage-2 data abort */
      if (iss & (1UL << 7)) { /* S1PTW: the guest's table walk hit stage 2 */
        *s2_pte(ipa_page) |= S2AP(3);
        s2_flush();
        uart_puts("  -> S1PTW: table page made accessible, retry\n");
        return;
      }
      if (ec == 0x20) {
        *s2_pte(ipa_page) &= ~S2_XN;
        s2_flush();
        uart_puts("  -> stage-2 XN cleared, retry\n");
        return;
      }
      if (ipa_page >= GUEST_MMIO) {
        u64 srt = (iss >> 16) & 31, ipa = ipa_page | (far & 0xfff);
        if (!(iss & (1UL << 24))) {
          uart_puts("  -> MMIO without ISV\n");
          fails++;
        } else if (iss & (1UL << 6)) {
          uart_puts("  -> MMIO write ");
          uart_hex(ipa);
          uart_puts(" = ");
          uart_hex(srt == 31 ? 0 : f->x[srt]);
          uart_puts("\n");
        } else {
          if (srt != 31) f->x[srt] = 0xc0ffee00UL | (ipa & 0xff);
          uart_puts("  -> MMIO read emulated\n");
        }
        SYSREG_W(elr_el2, elr + 4);
        return;
      }
      *s2_pte(ipa_page) |= S2AP(3);
      s2_flush();
      uart_puts("  -> S2AP=RW, retry\n");
      return;
    case 0x18: { /* trapped MSR/MRS */
      u64 rt = (iss >> 5) & 31, read = iss & 1;
      uart_puts("  op0=");
      uart_hex((iss >> 20) & 3);
      uart_puts(" op1=");
      uart_hex((iss >> 14) & 7);
      uart_puts(" CRn=");
      uart_hex((iss >> 10) & 15);
      uart_puts(" CRm=");
      uart_hex((iss >> 1) & 15);
      uart_puts(" op2=");
      uart_hex((iss >> 17) & 7);
      uart_puts(" Rt=");
      uart_hex(rt);
      uart_puts(read ? " read\n" : " write\n");
      if (read && rt != 31) f->x[rt] = 0xdead;
      if (!read) SYSREG_W(sctlr_el1, rt == 31 ? 0 : f->x[rt]); /* the only trapped write: SCTLR_EL1 */
      SYSREG_W(elr_el2, elr + 4);
      return;
    }
    case 0x01: /* WFI/WFE */
      SYSREG_W(elr_el2, elr + 4);
      return;
    case 0x32: /* software step, guest */
    case 0x33: /* software step, EL2 itself */
      if (++steps < 3) {
        SYSREG_W(spsr_el2, spsr | SPSR_SS);
      } else {
        SYSREG_W(mdscr_el1, SYSREG_R(mdscr_el1) & ~(MDSCR_SS | MDSCR_KDE));
        SYSREG_W(spsr_el2, spsr & ~SPSR_SS);
        uart_puts("  stop stepping\n");
      }
      return;
    default:
      uart_puts("unexpected exception at EL2\n");
      semi_exit(100);
  }
}

/* ---------------- guest, EL1 ---------------- */

void el1_handler(struct frame *f, u64 idx) {
  (void)f;
  u64 esr = SYSREG_R(esr_el1), elr = SYSREG_R(elr_el1), far = SYSREG_R(far_el1), spsr = SYSREG_R(spsr_el1);
  u64 ec = esr >> 26;
  report(1, idx * 0x80, esr, elr, far, ec == 0x24 || ec == 0x25 || ec == 0x20 || ec == 0x21, 0, 0, spsr);
  switch (ec) {
    case 0x15: /* SVC: ELR is the next instruction */
      return;
    case 0x3c: /* BRK */
    case 0x00: /* UNDEFINED */
    case 0x25: /* stage-1 data abort at EL1: skip the access */
      SYSREG_W(elr_el1, elr + 4);
      return;
    default:
      uart_puts("unexpected exception at EL1\n");
      semi_exit(101);
  }
}

/* Control hypercalls from the guest to the scenario's EL2 code get their own label. */
#define CTL(imm)                                  \
  do {                                            \
    test = "hvc-control";                         \
    asm volatile("hvc #" #imm ::: "memory");      \
  } while (0)

static u64 guest_load(u64 va) {
  u64 v;
  asm volatile("ldr %0, [%1]" : "=r"(v) : "r"(va) : "memory");
  return v;
}

static u32 guest_load32(u64 va) {
  u32 v;
  asm volatile("ldr %w0, [%1]" : "=r"(v) : "r"(va) : "memory");
  return v;
}

void guest_main(void) {
  SYSREG_W(vbar_el1, el1_vectors);
  SYSREG_W(mair_el1, 0xff00UL);                                          /* 0 device-nGnRnE, 1 normal WB */
  SYSREG_W(tcr_el1, 31UL | (1UL << 8) | (1UL << 10) | (3UL << 12) | (1UL << 23)); /* T0SZ=31, EPD1 */
  SYSREG_W(ttbr0_el1, g_l1);
  ISB();
  SYSREG_W(sctlr_el1, SYSREG_R(sctlr_el1) | 1 | (1 << 2) | (1 << 12)); /* M, C, I */
  ISB();
  uart_puts("guest: EL1 with stage 1 on, CurrentEL=");
  uart_hex(SYSREG_R(currentel) >> 2);
  uart_puts("\n");

  test = "guest-hvc";
  asm volatile("hvc #0x55" ::: "memory");
  test = "guest-brk-to-el2";
  asm volatile("brk #0x7" ::: "memory");
  CTL(0x201); /* MDCR_EL2.TDE = 0 */
  test = "guest-brk-to-el1";
  asm volatile("brk #0x8" ::: "memory");
  CTL(0x202); /* MDCR_EL2.TDE = 1 */
  test = "guest-svc";
  guest_svc();
  test = "guest-undef";
  guest_udf();
  test = "guest-s1-translation-fault";
  guest_load(0x100000010UL);

  test = "s2-iabt-xn";
  u64 (*xn)(void) = (u64(*)(void))ALIAS(guest_xn_func);
  check("xn function returned", xn(), 0x1234);
  test = "s2-dabt-ro-write";
  *(volatile u64 *)ALIAS(guest_ro_data) = 0x2222;
  check("read-only write landed", guest_ro_data[0], 0x2222);
  test = "s2-dabt-mmio-read";
  check("mmio read emulated", guest_load32(GUEST_MMIO + 0x10), 0xc0ffee10);
  test = "s2-dabt-mmio-write";
  *(volatile u32 *)(GUEST_MMIO + 0x24) = 0xabcd;

  CTL(0x200); /* HCR_EL2.TVM | TWI | TID3 */
  test = "trap-msr-sctlr";
  SYSREG_W(sctlr_el1, SYSREG_R(sctlr_el1));
  test = "trap-mrs-id";
  check("trapped ID read emulated", SYSREG_R(id_aa64mmfr1_el1), 0xdead);
  test = "trap-wfi";
  guest_wfi();
  CTL(0x203);

  test = "guest-step";
  check("stepped sum", guest_step_body(), 4);

  CTL(0x300); /* EL2 plants BRK #4 in guest_probe_target */
  test = "guest-brk-injected";
  check("probed function", ((u64(*)(void))guest_probe_target)(), 0x177);

  CTL(0x301); /* guest's alias L2 table loses stage-2 access */
  test = "s2-dabt-s1ptw";
  check("load through restored walk", guest_load(ALIAS(guest_ro_data)), 0x2222);

  test = "guest-done";
  asm volatile("hvc #0xffff" ::: "memory");
  for (;;) {
  }
}

/* ---------------- EL2 main ---------------- */

int main(void) {
  uart_puts("scenario: CurrentEL=");
  uart_hex(SYSREG_R(currentel) >> 2);
  uart_puts(" MIDR=");
  uart_hex(SYSREG_R(midr_el1));
  uart_puts(" OSLSR=");
  uart_hex(SYSREG_R(oslsr_el1));
  uart_puts("\n");
  SYSREG_W(vbar_el2, el2_vectors);
  ISB();

  test = "el2-brk";
  check("el2 self-probe", el2_brk(), 2);

  /* stage 2: IPA 0-1 GiB device, 1-2 GiB RAM (first 2 MiB in 4 KiB pages), >= 2 GiB unmapped */
  s2_l1[0] = 0x0UL | S2_AF | S2AP(3) | S2_DEVICE | 1;
  s2_l1[1] = (u64)s2_l2 | 3;
  s2_l2[0] = (u64)s2_l3 | 3;
  for (u64 i = 1; i < 512; i++) s2_l2[i] = (0x40000000UL + (i << 21)) | S2_AF | S2_SH_IS | S2AP(3) | S2_NORMAL | 1;
  for (u64 i = 0; i < 512; i++) s2_l3[i] = (0x40000000UL + (i << 12)) | S2_AF | S2_SH_IS | S2AP(3) | S2_NORMAL | 3;
  *s2_pte((u64)guest_xn_func) |= S2_XN;
  *s2_pte((u64)guest_ro_data) = (*s2_pte((u64)guest_ro_data) & ~S2AP(3)) | S2AP(1);

  /* guest stage 1: identity device 0-1 GiB, identity RAM 1-2 GiB, alias 2-3 GiB -> 1-2 GiB (2 MiB blocks
     through g_alias_l2), identity device 3-4 GiB (the emulated MMIO window), nothing at 4-8 GiB */
  g_l1[0] = 0x0UL | S1_AF | S1_ATTR(0) | 1;
  g_l1[1] = 0x40000000UL | S1_AF | S1_SH_IS | S1_ATTR(1) | 1;
  g_l1[2] = (u64)g_alias_l2 | 3;
  for (u64 i = 0; i < 512; i++) g_alias_l2[i] = (0x40000000UL + (i << 21)) | S1_AF | S1_SH_IS | S1_ATTR(1) | 1;
  g_l1[3] = GUEST_MMIO | S1_AF | S1_ATTR(0) | 1;

  SYSREG_W(vtcr_el2, 0x80003560UL); /* T0SZ=32, SL0=1, 4K, inner shareable WBWA */
  SYSREG_W(vttbr_el2, (u64)s2_l1 | (1UL << 48));
  SYSREG_W(hcr_el2, HCR_RW | HCR_VM);
  SYSREG_W(mdcr_el2, SYSREG_R(mdcr_el2) | MDCR_TDE);
  SYSREG_W(oslar_el1, 0);
  SYSREG_W(sctlr_el1, 0x30d00800UL);
  s2_flush();
  uart_puts("EL2: entering guest\n");
  enter_guest((u64)guest_main, (u64)(guest_stack + 1024));
  return 99; /* not reached: the guest's final HVC goes to el2_after_guest */
}

__attribute__((noreturn)) void el2_finish(void) {
  uart_puts("EL2: guest done\n");
  SYSREG_W(hcr_el2, HCR_RW);
  test = "el2-self-step";
  steps = 0;
  SYSREG_W(mdcr_el2, SYSREG_R(mdcr_el2) | MDCR_TDE);
  SYSREG_W(mdscr_el1, MDSCR_KDE | MDSCR_SS);
  ISB();
  check("self-stepped sum", el2_selfstep(), 4);
  uart_puts("scenario: done, fails=");
  uart_dec(fails);
  uart_puts("\n");
  semi_exit(fails);
}
