/*
 * initfs.S: the file table: user programs linked into the kernel image
 * (fs.c looks them up by name). Each is the ELF file the build made from
 * src/mono/user or src/bench-common (scripts/build-guest.mjs puts them on
 * the assembler's include path as mono-<name>.elf).
 */
	/* program sym, name: the bytes of mono-<name>.elf and the name, as sym_start/_end/_name. */
	.macro	program sym, name
	.section .rodata.initfs, "a"
	.balign	4
\sym\()_start:
	.incbin	"mono-\name\().elf"
\sym\()_end:
	.section .rodata.initfs.names, "a"
\sym\()_name:
	.asciz	"\name"
	.endm

	/* entry sym: one row of fs_table (struct fsent in fs.c). */
	.macro	entry sym
	.word	\sym\()_name, \sym\()_start, \sym\()_end
	.endm

	program	init, init
	program	echo, echo
	program	forktest, forktest
	program	pipetest, pipetest
	program	shmtest, shmtest
	program	sigtest, sigtest
	program	badptr, badptr
	program	preempt, preempt
	program	udptest, udptest
	program	bench_pipe, bench-pipe
	program	bench_shm, bench-shm
	program	bench_vm, bench-vm
	program	bench_udp_ping, bench-udp-ping
	program	bench_udp_echo, bench-udp-echo

	.section .rodata.initfs.table, "a"
	.balign	4
	.globl	fs_table
fs_table:
	entry	init
	entry	echo
	entry	forktest
	entry	pipetest
	entry	shmtest
	entry	sigtest
	entry	badptr
	entry	preempt
	entry	udptest
	entry	bench_pipe
	entry	bench_shm
	entry	bench_vm
	entry	bench_udp_ping
	entry	bench_udp_echo
	.word	0, 0, 0
