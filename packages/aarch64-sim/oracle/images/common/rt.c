/* PL011 output (DR at +0, no initialisation needed on QEMU) and number printing. */
#include "rt.h"

void uart_putc(char c) {
  while (mmio_r32(UART_BASE + 0x18) & (1U << 5)) { /* FR.TXFF */
  }
  mmio_w32(UART_BASE, (u32)(u8)c);
}

void uart_puts(const char *s) {
  while (*s) uart_putc(*s++);
}

void uart_hex(u64 v) {
  uart_puts("0x");
  int started = 0;
  for (int i = 60; i >= 0; i -= 4) {
    int d = (int)((v >> i) & 15);
    if (d || started || i == 0) {
      uart_putc("0123456789abcdef"[d]);
      started = 1;
    }
  }
}

void uart_dec(u64 v) {
  char b[24];
  int i = 0;
  do {
    b[i++] = (char)('0' + v % 10);
    v /= 10;
  } while (v);
  while (i) uart_putc(b[--i]);
}
