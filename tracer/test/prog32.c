/*
 * A 32-bit x86 program without libc, for the --syscalls test on x86_64: the
 * i386 ABI's getpid (20) and getppid (64), then exit (1) with status 0.
 * Built with: cc -m32 -nostdlib -static -fno-pie -no-pie (Makefile, when the
 * compiler can).
 */
void _start(void) {
    int r;
    __asm__ volatile("int $0x80" : "=a"(r) : "a"(20));
    __asm__ volatile("int $0x80" : "=a"(r) : "a"(64));
    __asm__ volatile("int $0x80" : : "a"(1), "b"(0));
    for (;;) {
    }
}
