/* vmm: a minimal EL2 hypervisor. It builds stage-2 tables for one guest (IPA 0x40400000-0x40bfffff = PA,
 * everything else unmapped), runs the guest kernel (guest/) at EL1, emulates the PL011 by trapping the
 * guest's MMIO accesses, forwards the guest's virtual timer interrupt as a virtual IRQ (HCR_EL2.VI), and
 * serves hypercalls: HVC #0 = exit with x0, HVC #1 = end of virtual interrupt. Functions meant for
 * probes are global and noinline: vmm_build_stage2, vmm_run_guest, vmm_handle_hvc, vmm_handle_dabt,
 * vmm_mmio_uart, vmm_handle_irq, vmm_inject_virq. Exit code = the guest's exit code. */
#include "../common/rt.h"

#define NOINLINE __attribute__((noinline, used))
#define GUEST_BASE 0x40400000UL
#define GUEST_SIZE 0x800000UL
#define HCR_VM (1UL << 0)
#define HCR_IMO (1UL << 4)
#define HCR_VI (1UL << 7)
#define HCR_RW (1UL << 31)
#define TIMER_PPI 27

extern char el2_vectors[];
extern void vmm_enter_guest(u64 entry);

static u64 s2_l1[512] __attribute__((aligned(4096)));
static u64 s2_l2[512] __attribute__((aligned(4096)));

static u64 n_hvc, n_mmio, n_virq;

NOINLINE void vmm_build_stage2(void) {
  for (u64 ipa = GUEST_BASE; ipa < GUEST_BASE + GUEST_SIZE; ipa += 0x200000)
    s2_l2[(ipa - 0x40000000UL) >> 21] = ipa | (1UL << 10) | (3UL << 8) | (3UL << 6) | (0xfUL << 2) | 1;
  s2_l1[1] = (u64)s2_l2 | 3;
  SYSREG_W(vtcr_el2, 0x80003560UL); /* T0SZ=32, SL0=1, 4K, inner shareable WBWA */
  SYSREG_W(vttbr_el2, (u64)s2_l1 | (1UL << 48));
  asm volatile("dsb ishst\n\ttlbi vmalls12e1is\n\tdsb ish\n\tisb" ::: "memory");
}

NOINLINE void vmm_inject_virq(void) {
  n_virq++;
  SYSREG_W(hcr_el2, SYSREG_R(hcr_el2) | HCR_VI);
}

NOINLINE void vmm_handle_irq(void) {
  u32 iar = mmio_r32(GICC_BASE + 0x0c);
  u32 id = iar & 0x3ff;
  if (id == 1023) return; /* spurious */
  if (id == TIMER_PPI) {
    SYSREG_W(cntv_ctl_el0, SYSREG_R(cntv_ctl_el0) | 2); /* mask the guest's timer until it reprograms it */
    vmm_inject_virq();
  }
  mmio_w32(GICC_BASE + 0x10, iar);
}

NOINLINE void vmm_handle_hvc(struct frame *f, u64 imm) {
  n_hvc++;
  switch (imm) {
    case 0:
      uart_puts("vmm: guest exited with code ");
      uart_dec(f->x[0]);
      uart_puts("; hypercalls ");
      uart_dec(n_hvc);
      uart_puts(", MMIO traps ");
      uart_dec(n_mmio);
      uart_puts(", virtual IRQs ");
      uart_dec(n_virq);
      uart_puts("\n");
      semi_exit(f->x[0]);
    case 1:
      SYSREG_W(hcr_el2, SYSREG_R(hcr_el2) & ~HCR_VI);
      return;
    default:
      f->x[0] = (u64)-1;
      return;
  }
}

/* PL011 emulation: DR writes go to the real UART, FR reads as "transmit FIFO not full", rest is RAZ/WI. */
NOINLINE int vmm_mmio_uart(struct frame *f, u64 offset, u64 srt, int write) {
  n_mmio++;
  if (write) {
    if (offset == 0) uart_putc((char)(srt == 31 ? 0 : f->x[srt]));
  } else if (srt != 31) {
    f->x[srt] = 0;
  }
  return 1;
}

static void guest_fault(const char *what, u64 esr) {
  uart_puts("vmm: ");
  uart_puts(what);
  uart_puts(" ESR=");
  uart_hex(esr);
  uart_puts(" ELR=");
  uart_hex(SYSREG_R(elr_el2));
  uart_puts(" FAR=");
  uart_hex(SYSREG_R(far_el2));
  uart_puts(" HPFAR=");
  uart_hex(SYSREG_R(hpfar_el2));
  uart_puts("\n");
  semi_exit(200);
}

NOINLINE void vmm_handle_dabt(struct frame *f, u64 esr) {
  u64 iss = esr & 0x1ffffff;
  u64 ipa = ((SYSREG_R(hpfar_el2) >> 4) << 12) | (SYSREG_R(far_el2) & 0xfff);
  if (!(iss & (1UL << 24)) || ipa < UART_BASE || ipa >= UART_BASE + 0x1000) guest_fault("guest data abort", esr);
  vmm_mmio_uart(f, ipa - UART_BASE, (iss >> 16) & 31, (iss >> 6) & 1);
  SYSREG_W(elr_el2, SYSREG_R(elr_el2) + 4);
}

void el2_handler(struct frame *f, u64 idx) {
  u64 esr = SYSREG_R(esr_el2);
  if (idx == 9) { /* IRQ from the guest's EL */
    vmm_handle_irq();
    return;
  }
  if (idx != 8) guest_fault("unexpected exception at EL2", esr);
  switch (esr >> 26) {
    case 0x16:
      vmm_handle_hvc(f, esr & 0xffff);
      return;
    case 0x24:
      vmm_handle_dabt(f, esr);
      return;
    default:
      guest_fault("unexpected guest exit", esr);
  }
}

NOINLINE void vmm_run_guest(u64 entry) {
  SYSREG_W(hcr_el2, HCR_RW | HCR_VM | HCR_IMO);
  SYSREG_W(cntvoff_el2, 0);
  SYSREG_W(sctlr_el1, 0x30d00800UL);
  vmm_enter_guest(entry);
}

int main(void) {
  uart_puts("vmm: EL");
  uart_dec(SYSREG_R(currentel) >> 2);
  uart_puts(", guest at ");
  uart_hex(GUEST_BASE);
  uart_puts("\n");
  SYSREG_W(vbar_el2, el2_vectors);
  mmio_w32(GICD_BASE + 0x000, 1);              /* distributor on */
  mmio_w32(GICD_BASE + 0x100, 1U << TIMER_PPI); /* ISENABLER0 */
  mmio_w32(GICC_BASE + 0x004, 0xf0);           /* PMR */
  mmio_w32(GICC_BASE + 0x000, 1);              /* CPU interface on */
  vmm_build_stage2();
  vmm_run_guest(GUEST_BASE);
  return 99; /* not reached: the guest's HVC #0 ends the run */
}
