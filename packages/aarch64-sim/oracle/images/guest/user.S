    .file "user.S"
/* The EL0 program: a few system calls into the guest kernel's sys_dispatch (x8 = number). */
    .section .user.text, "ax"
    .global user_main
user_main:
    mov x8, #64                     /* write(1, msg, len) */
    mov x0, #1
    adr x1, msg
    mov x2, #(msg_end - msg)
    svc #0
    mov x8, #500                    /* add(40, 2) */
    mov x0, #40
    mov x1, #2
    svc #0
    mov x20, x0
    mov x8, #501                    /* copy(dst, src, n) through the kernel's kmemcpy */
    ldr x0, =0x401000
    adr x1, msg
    mov x2, #(msg_end - msg)
    svc #0
    mov x8, #64                     /* write the copy back */
    mov x0, #1
    ldr x1, =0x401000
    mov x2, #(msg_end - msg)
    svc #0
    mov x8, #999                    /* unknown: -ENOSYS */
    svc #0
    mov x21, x0
    mov x8, #93                     /* exit(add result + 0 if ENOSYS came back as -38) */
    add x0, x20, x21
    add x0, x0, #38
    svc #0
1:  b 1b
msg:
    .ascii "EL0: hello through svc\n"
msg_end:
    .ltorg
