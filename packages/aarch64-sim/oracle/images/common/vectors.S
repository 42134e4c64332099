    .file "vectors.S"
/* Exception vectors for EL1 and EL2: each entry saves x0-x30 in a 256-byte frame on the current stack,
 * calls <handler>(struct frame *, u64 vector_index), restores and returns with eret. The handler sees the
 * syndrome registers itself and may change ELR/SPSR with msr. */
.macro VENT idx, handler
    .balign 0x80
    sub sp, sp, #256
    stp x0, x1, [sp, #0]
    stp x2, x3, [sp, #16]
    mov x1, #\idx
    b \handler\()_common
.endm

.macro COMMON handler
\handler\()_common:
    stp x4, x5, [sp, #32]
    stp x6, x7, [sp, #48]
    stp x8, x9, [sp, #64]
    stp x10, x11, [sp, #80]
    stp x12, x13, [sp, #96]
    stp x14, x15, [sp, #112]
    stp x16, x17, [sp, #128]
    stp x18, x19, [sp, #144]
    stp x20, x21, [sp, #160]
    stp x22, x23, [sp, #176]
    stp x24, x25, [sp, #192]
    stp x26, x27, [sp, #208]
    stp x28, x29, [sp, #224]
    str x30, [sp, #240]
    mov x0, sp
    bl \handler
    ldp x2, x3, [sp, #16]
    ldp x4, x5, [sp, #32]
    ldp x6, x7, [sp, #48]
    ldp x8, x9, [sp, #64]
    ldp x10, x11, [sp, #80]
    ldp x12, x13, [sp, #96]
    ldp x14, x15, [sp, #112]
    ldp x16, x17, [sp, #128]
    ldp x18, x19, [sp, #144]
    ldp x20, x21, [sp, #160]
    ldp x22, x23, [sp, #176]
    ldp x24, x25, [sp, #192]
    ldp x26, x27, [sp, #208]
    ldp x28, x29, [sp, #224]
    ldr x30, [sp, #240]
    ldp x0, x1, [sp, #0]
    add sp, sp, #256
    eret
.endm

.macro VTABLE name, handler
    .section .text.vectors, "ax"
    .balign 0x800
    .global \name
\name:
    VENT 0, \handler
    VENT 1, \handler
    VENT 2, \handler
    VENT 3, \handler
    VENT 4, \handler
    VENT 5, \handler
    VENT 6, \handler
    VENT 7, \handler
    VENT 8, \handler
    VENT 9, \handler
    VENT 10, \handler
    VENT 11, \handler
    VENT 12, \handler
    VENT 13, \handler
    VENT 14, \handler
    VENT 15, \handler
    COMMON \handler
.endm

#ifdef WANT_EL2_VECTORS
    VTABLE el2_vectors, el2_handler
#endif
#ifdef WANT_EL1_VECTORS
    VTABLE el1_vectors, el1_handler
#endif
