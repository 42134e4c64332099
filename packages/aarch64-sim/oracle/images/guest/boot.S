    .file "boot.S"
/* Guest kernel entry. Standalone (QEMU starts it at EL2) it drops to EL1 itself; under the vmm it is
 * entered at EL1. Then, still at the physical address: stack, .bss, page tables (boot_tables), MMU on,
 * jump to the high half (kmain). */
    .section .text.boot, "ax"
    .global _start
_start:
    mrs x0, CurrentEL
    lsr x0, x0, #2
    cmp x0, #2
    b.ne 1f
    mov x0, #(1 << 31)              /* HCR_EL2.RW: EL1 is AArch64; no stage 2 */
    msr hcr_el2, x0
    mov x0, #0x3c5                  /* EL1h, DAIF masked */
    msr spsr_el2, x0
    adr x0, 2f
    msr elr_el2, x0
    eret
1:  mov x19, #0                     /* entered at EL1: hosted by the vmm */
    b 3f
2:  mov x19, #1                     /* dropped from EL2 ourselves: standalone */
3:  ldr x0, =0x30d00800             /* SCTLR_EL1: MMU off, RES1 bits */
    msr sctlr_el1, x0
    isb
    adrp x0, stack_top              /* PC-relative: the physical address while the MMU is off */
    add x0, x0, :lo12:stack_top
    mov sp, x0
    adrp x0, __bss_start
    add x0, x0, :lo12:__bss_start
    adrp x1, __bss_end
    add x1, x1, :lo12:__bss_end
4:  cmp x0, x1
    b.hs 5f
    str xzr, [x0], #8
    b 4b
5:  mov x0, x19
    bl boot_tables                  /* C, runs at the physical address */
    ldr x0, =0x000000000000ff04     /* MAIR: 0 device-nGnRE, 1 normal WB */
    msr mair_el1, x0
    ldr x0, =0xb5193519             /* TCR: T0SZ=T1SZ=25, 4K, WBWA inner shareable, IPS 32 bits */
    msr tcr_el1, x0
    adrp x0, ttbr0_l1
    add x0, x0, :lo12:ttbr0_l1
    msr ttbr0_el1, x0
    adrp x0, ttbr1_l1
    add x0, x0, :lo12:ttbr1_l1
    msr ttbr1_el1, x0
    tlbi vmalle1
    dsb sy
    isb
    mrs x0, sctlr_el1
    mov x1, #((1 << 0) | (1 << 2) | (1 << 12))  /* M, C, I */
    orr x0, x0, x1
    msr sctlr_el1, x0
    isb
    ldr x0, =stack_top              /* absolute: the high-half address */
    mov sp, x0
    ldr x0, =kmain
    br x0

/* run_user(entry, user_sp): runs EL0 code until its exit syscall, which returns here with the code. */
    .text
    .global run_user
run_user:
    adrp x2, kctx
    add x2, x2, :lo12:kctx
    stp x19, x20, [x2, #0]
    stp x21, x22, [x2, #16]
    stp x23, x24, [x2, #32]
    stp x25, x26, [x2, #48]
    stp x27, x28, [x2, #64]
    stp x29, x30, [x2, #80]
    msr sp_el0, x1
    msr elr_el1, x0
    msr spsr_el1, xzr               /* EL0t, interrupts unmasked */
    isb
    eret

    .global user_return             /* the exit syscall erets here at EL1h, x0 = exit code */
user_return:
    adrp x2, kctx
    add x2, x2, :lo12:kctx
    ldp x19, x20, [x2, #0]
    ldp x21, x22, [x2, #16]
    ldp x23, x24, [x2, #32]
    ldp x25, x26, [x2, #48]
    ldp x27, x28, [x2, #64]
    ldp x29, x30, [x2, #80]
    ret

    .bss
    .balign 16
kctx:
    .skip 96
