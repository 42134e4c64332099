    .file "start.S"
/* Entry for the oracle images: QEMU -M virt,virtualization=on starts at EL2 at the ELF entry with the MMU
 * off. Sets the stack, clears .bss, calls main() at the current EL, exits with its return value through
 * semihosting (SYS_EXIT with ADP_Stopped_ApplicationExit and the code). */
    .section .text.boot, "ax"
    .global _start
_start:
    ldr x0, =stack_top
    mov sp, x0
    ldr x0, =__bss_start
    ldr x1, =__bss_end
1:  cmp x0, x1
    b.hs 2f
    str xzr, [x0], #8
    b 1b
2:  bl main
    b semi_exit

    .global semi_exit
semi_exit:
    ldr x1, =exit_block
    str x0, [x1, #8]
    mov w0, #0x18
    hlt #0xf000
3:  wfi
    b 3b

    .data
    .balign 8
exit_block:                     /* in .data: images may map their code read-only */
    .quad 0x20026
    .quad 0
