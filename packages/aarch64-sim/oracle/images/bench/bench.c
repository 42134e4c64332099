/* MIPS workload for the machine benchmark: EL2 maps RAM through stage 2 (2 MiB blocks, identity), the
 * guest part of this image runs at EL1 with its stage-1 MMU and caches on and computes (xorshift into a
 * table, CRC-32, insertion sort), then reports the three checksums with HVC #0; EL2 prints them and exits
 * with code 0 (the golden UART output holds QEMU's checksums). No interrupts, no faults: the instruction
 * count of the run is exact. */
#include "../common/rt.h"

#ifndef ITERS
#define ITERS 1500000
#endif

extern char el2_vectors[];
extern void bench_enter_guest(u64 entry, u64 sp);

static u64 s2_l1[512] __attribute__((aligned(4096)));
static u64 s2_l2[512] __attribute__((aligned(4096)));
static u64 g_l1[512] __attribute__((aligned(4096)));
static u64 guest_stack[1024] __attribute__((aligned(16)));
static u64 table[1024] __attribute__((aligned(4096)));
static u8 data[16384] __attribute__((aligned(4096)));
static u32 crc_tab[256];
static u32 sorted[1024];

__attribute__((noinline)) u64 kernel_xorshift(u64 n) {
  u64 x = 88172645463325252UL, s = 0;
  for (u64 i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    u64 *p = &table[(x >> 20) & 1023];
    *p += x;
    s += *p;
  }
  return s;
}

__attribute__((noinline)) u32 kernel_crc32(const u8 *p, u64 n, u32 crc) {
  crc = ~crc;
  while (n--) crc = crc_tab[(crc ^ *p++) & 0xff] ^ (crc >> 8);
  return ~crc;
}

__attribute__((noinline)) u64 kernel_sort(u32 *v, u64 n, u64 seed) {
  for (u64 i = 0; i < n; i++) {
    seed = seed * 6364136223846793005UL + 1442695040888963407UL;
    v[i] = (u32)(seed >> 33);
  }
  for (u64 i = 1; i < n; i++) {
    u32 x = v[i];
    u64 j = i;
    while (j > 0 && v[j - 1] > x) {
      v[j] = v[j - 1];
      j--;
    }
    v[j] = x;
  }
  u64 h = 0;
  for (u64 i = 0; i < n; i++) h = h * 31 + v[i];
  return h;
}

void guest_main(void) {
  /* stage 1: identity, devices 0-1 GiB, RAM 1-2 GiB (1 GiB blocks), MMU and caches on */
  SYSREG_W(mair_el1, 0xff04UL);
  SYSREG_W(tcr_el1, 32UL | (1UL << 8) | (1UL << 10) | (3UL << 12) | (1UL << 23));
  SYSREG_W(ttbr0_el1, g_l1);
  asm volatile("dsb ishst\n\ttlbi vmalle1\n\tdsb ish\n\tisb" ::: "memory");
  SYSREG_W(sctlr_el1, SYSREG_R(sctlr_el1) | 1 | (1 << 2) | (1 << 12));
  ISB();
  for (u32 i = 0; i < 256; i++) {
    u32 c = i;
    for (int k = 0; k < 8; k++) c = (c & 1) ? 0xedb88320U ^ (c >> 1) : c >> 1;
    crc_tab[i] = c;
  }
  for (u64 i = 0; i < sizeof data; i++) data[i] = (u8)(i * 131 + (i >> 7));
  u64 xs = kernel_xorshift(ITERS);
  u32 crc = 0;
  for (int r = 0; r < 16; r++) crc = kernel_crc32(data, sizeof data, crc);
  u64 st = kernel_sort(sorted, 1024, 12345);
  /* results in x0..x2 for the EL2 handler */
  register u64 a asm("x0") = xs;
  register u64 b asm("x1") = crc;
  register u64 c asm("x2") = st;
  asm volatile("hvc #0" ::"r"(a), "r"(b), "r"(c) : "memory");
  for (;;) {
  }
}

void el2_handler(struct frame *f, u64 idx) {
  u64 esr = SYSREG_R(esr_el2);
  if (idx != 8 || (esr >> 26) != 0x16) {
    uart_puts("bench: unexpected exception ESR=");
    uart_hex(esr);
    uart_puts("\n");
    semi_exit(100);
  }
  uart_puts("bench: xorshift=");
  uart_hex(f->x[0]);
  uart_puts(" crc32=");
  uart_hex(f->x[1]);
  uart_puts(" sort=");
  uart_hex(f->x[2]);
  uart_puts("\n");
  semi_exit(0);
}

int main(void) {
  uart_puts("bench: EL2 stage 2 on, guest at EL1 with MMU on\n");
  SYSREG_W(vbar_el2, el2_vectors);
  s2_l1[0] = 0x0UL | (1UL << 10) | (3UL << 6) | (0x1UL << 2) | 1;
  s2_l1[1] = (u64)s2_l2 | 3;
  for (u64 i = 0; i < 512; i++)
    s2_l2[i] = (0x40000000UL + (i << 21)) | (1UL << 10) | (3UL << 8) | (3UL << 6) | (0xfUL << 2) | 1;
  g_l1[0] = 0x0UL | (1UL << 10) | (0UL << 2) | 1;
  g_l1[1] = 0x40000000UL | (1UL << 10) | (3UL << 8) | (1UL << 2) | 1;
  SYSREG_W(vtcr_el2, 0x80003560UL);
  SYSREG_W(vttbr_el2, (u64)s2_l1 | (1UL << 48));
  SYSREG_W(hcr_el2, (1UL << 31) | 1);
  SYSREG_W(sctlr_el1, 0x30d00800UL);
  asm volatile("dsb ishst\n\ttlbi vmalls12e1is\n\tdsb ish\n\tisb" ::: "memory");
  bench_enter_guest((u64)guest_main, (u64)(guest_stack + 1024));
  return 99;
}
