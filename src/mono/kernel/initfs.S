/*
 * initfs.S: the file table: user programs linked into the kernel image
 * (fs.c looks them up by name). Each is the ELF file the build made from
 * src/mono/user (scripts/build-guest.mjs puts them on the assembler's
 * include path as mono-<name>.elf).
 */
	.section .rodata.initfs, "a"

	.macro	program name
	.section .rodata.initfs, "a"
	.balign	4
\name\()_start:
	.incbin	"mono-\name\().elf"
\name\()_end:
	.section .rodata.initfs.names, "a"
\name\()_name:
	.asciz	"\name"
	.endm

	.macro	entry name
	.word	\name\()_name, \name\()_start, \name\()_end
	.endm

	program	init
	program	echo
	program	forktest
	program	pipetest
	program	shmtest
	program	sigtest
	program	badptr
	program	preempt
	program	udptest

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
	.word	0, 0, 0
