    .file "vmm.S"
/* The guest kernel's raw binary (guest/guest.bin, objcopy -O binary of guest/guest.elf), placed at
 * 0x40400000 by vmm/link.ld; and the EL2 -> EL1 entry. */
    .section .guest_image, "a"
    .global guest_image
guest_image:
    .incbin "guest/guest.bin"
    .global guest_image_end
guest_image_end:

    .text
    .global vmm_enter_guest        /* x0 = guest entry (IPA), EL1h with DAIF masked */
vmm_enter_guest:
    msr elr_el2, x0
    mov x1, #0x3c5
    msr spsr_el2, x1
    mov x0, #0
    isb
    eret
