    .file "selftest.S"
/* Assembly pieces of the EL1 self-test: the drop from EL2, EL0 code and the special pages. */
    .text
    .global drop_to_el1            /* x0 = EL1 entry, x1 = SP_EL1 */
drop_to_el1:
    msr elr_el2, x0
    msr sp_el1, x1
    mov x2, #0x3c5                 /* EL1h, DAIF masked */
    msr spsr_el2, x2
    isb
    eret

    .global run_el0                /* x0 = EL0 entry, x1 = SP_EL0; returns when EL0 does svc #0xff */
run_el0:
    stp x29, x30, [sp, #-16]!
    adrp x2, el0_ksp
    mov x3, sp
    str x3, [x2, :lo12:el0_ksp]
    msr sp_el0, x1
    msr elr_el1, x0
    msr spsr_el1, xzr
    isb
    eret
    .global el0_return             /* the handler erets here (EL1h) after svc #0xff */
el0_return:
    adrp x2, el0_ksp
    ldr x3, [x2, :lo12:el0_ksp]
    mov sp, x3
    ldp x29, x30, [sp], #16
    ret

    .global call_misaligned        /* branch to a misaligned address: PC alignment fault */
call_misaligned:
    adr x1, 1f
    add x1, x1, #2
    br x1
1:  ret

    .global ldxr_at                /* x0 = address: load-exclusive (alignment checked) */
ldxr_at:
    ldxr x0, [x0]
    clrex
    ret

    .bss
    .balign 8
el0_ksp:
    .skip 8

/* EL0 code page: svc, a forbidden sysreg read, a trapped DAIF write, WFI, a privileged load. */
    .section .pages.el0code, "ax"
    .balign 4096
    .global el0_code
el0_code:
    svc #0x10
    mrs x0, sctlr_el1              /* UNDEFINED at EL0 */
    msr daifset, #2                /* trapped to EL1 (SCTLR_EL1.UMA = 0) */
    wfi                            /* trapped to EL1 (SCTLR_EL1.nTWI = 0) */
    ldr x1, =el0_forbidden
    ldr x0, [x1]                   /* EL1-only page: permission fault from EL0 */
    svc #0xff                      /* back to EL1 */
1:  b 1b
    .ltorg

    .section .pages.xn, "ax"
    .balign 4096
    .global xn_func
xn_func:
    mov x0, #1
    ret
