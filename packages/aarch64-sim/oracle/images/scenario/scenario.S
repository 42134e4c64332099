    .file "scenario.S"
/* Assembly pieces of the scenario image: entering the guest, coming back to EL2, the EL2 self-probe and
 * self-step sites, and the guest pages whose stage-2 attributes the EL2 code changes. */
    .text
    .global enter_guest            /* x0 = guest entry, x1 = guest SP_EL1 */
enter_guest:
    msr elr_el2, x0
    msr sp_el1, x1
    mov x2, #0x3c5                 /* EL1h, DAIF masked */
    msr spsr_el2, x2
    isb
    eret

    .global el2_after_guest        /* the guest's final HVC returns here, at EL2 */
el2_after_guest:
    ldr x0, =stack_top
    mov sp, x0
    b el2_finish

    .global el2_brk                /* EL2 self-probe: BRK, handler skips it */
el2_brk:
    mov x0, #1
    .global el2_brk_site
el2_brk_site:
    brk #0x4
    add x0, x0, #1
    ret

    .global el2_selfstep           /* EL2 steps itself: eret here with SPSR.SS=1, D=0 */
el2_selfstep:
    mov x9, #0
    adr x0, 1f
    msr elr_el2, x0
    mov x2, #0x1c9                 /* EL2h, A I F masked, D clear */
    orr x2, x2, #(1 << 21)         /* SS */
    msr spsr_el2, x2
    isb
    eret
1:  add x9, x9, #1
    add x9, x9, #1
    add x9, x9, #1
    add x9, x9, #1
    mov x0, x9
    ret

    .global guest_step_body        /* stepped by EL2 (3 steps) after hvc #0x100 */
guest_step_body:
    mov x0, #0
    hvc #0x100
    add x0, x0, #1
    add x0, x0, #1
    add x0, x0, #1
    add x0, x0, #1
    ret

    .global guest_svc
guest_svc:
    svc #0x9
    ret

    .global guest_udf
guest_udf:
    .inst 0x00000077               /* udf #0x77 */
    ret

    .global guest_wfi
guest_wfi:
    wfi
    ret

/* Pages with their own stage-2 attributes. */
    .section .pages.xn, "ax"
    .balign 4096
    .global guest_xn_func
guest_xn_func:                     /* stage-2 execute-never until the first fetch faults */
    mov x0, #0x1234
    ret

    .section .pages.probe, "ax"
    .balign 4096
    .global guest_probe_target
guest_probe_target:                /* EL2 writes BRK #0x4 over the first instruction */
    mov x0, #0x77
    add x0, x0, #0x100
    ret
