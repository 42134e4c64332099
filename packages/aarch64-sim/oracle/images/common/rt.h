/* Bare-metal runtime for the oracle images on QEMU's virt board: PL011 output, semihosting exit,
 * system-register access, the exception frame the vectors (vectors.S) hand to C. */
#ifndef ORACLE_RT_H
#define ORACLE_RT_H

typedef unsigned long u64;
typedef unsigned int u32;
typedef unsigned short u16;
typedef unsigned char u8;
typedef long i64;

#define UART_BASE 0x09000000UL
#define GICD_BASE 0x08000000UL
#define GICC_BASE 0x08010000UL

#define SYSREG_R(r)                                  \
  ({                                                 \
    u64 _v;                                          \
    asm volatile("mrs %0, " #r : "=r"(_v)::"memory"); \
    _v;                                              \
  })
#define SYSREG_W(r, v) asm volatile("msr " #r ", %0" ::"r"((u64)(v)) : "memory")
#define ISB() asm volatile("isb" ::: "memory")
#define DSB() asm volatile("dsb sy" ::: "memory")

/* x0..x30 as saved by the vectors; the handler may change them (and ELR via msr) before eret. */
struct frame {
  u64 x[31];
  u64 pad;
};

void uart_putc(char c);
void uart_puts(const char *s);
void uart_hex(u64 v); /* 0x-prefixed, no leading zeros */
void uart_dec(u64 v);
__attribute__((noreturn)) void semi_exit(u64 code);

static inline void mmio_w32(u64 a, u32 v) { *(volatile u32 *)a = v; }
static inline u32 mmio_r32(u64 a) { return *(volatile u32 *)a; }

#endif
