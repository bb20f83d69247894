/*
 * mmu.h: page-table entries and the trap frame, shared by C and assembler.
 *
 * A process's page table has two levels: a page directory of 1024 kseg0
 * pointers, indexed by VA[31:22], each to a page of 1024 PTEs indexed by
 * VA[21:12]. A PTE is an R3000 EntryLo (PFN 31:12, N 0x800, D 0x400,
 * V 0x200, G 0x100; R3000 manual ch. 4) whose low byte, which EntryLo
 * ignores, holds the kernel's own bits. The UTLB refill handler (vectors.S)
 * loads a PTE into EntryLo as it is; the kernel keeps V and D equal to what
 * the protection allows.
 */
#ifndef MONO_MMU_H
#define MONO_MMU_H

#define PTE_D		0x400		/* hardware: writable ("dirty") */
#define PTE_V		0x200		/* hardware: valid */
#define PTE_P		0x001		/* software: a page is mapped here */
#define PTE_R		0x002		/* software: reads allowed (mprotect) */
#define PTE_W		0x004		/* software: writes allowed (mprotect) */
#define PTE_SHARED	0x008		/* software: a shared-memory page; fork shares it, exit does not free it */
#define PTE_PFN		0xfffff000

#define PDXSHIFT	22
#define PTXSHIFT	12
#define PDX(va)		(((va) >> PDXSHIFT) & 0x3ff)
#define PTX(va)		(((va) >> PTXSHIFT) & 0x3ff)

/* Trap frame: word offsets of what trapasm.S saves (struct trapframe). */
#define TF_REG(n)	((n) * 4)
#define TF_HI		128
#define TF_LO		132
#define TF_EPC		136
#define TF_STATUS	140
#define TF_CAUSE	144
#define TF_BADVADDR	148
#define TF_SIZE		152

#ifndef __ASSEMBLER__
#include <stdint.h>

typedef uint32_t pte_t;
typedef pte_t *pagetable_t;	/* a page directory or a page of PTEs */

/* Register numbers in trapframe.regs (MIPS o32 names). */
enum { R_ZERO, R_AT, R_V0, R_V1, R_A0, R_A1, R_A2, R_A3,
	R_T0, R_S0 = 16, R_T8 = 24, R_K0 = 26, R_GP = 28, R_SP, R_FP, R_RA };

/* What trapasm.S saves on entry to the kernel and restores on the way out. */
struct trapframe {
	uint32_t regs[32];	/* regs[0], k0 and k1 are not restored */
	uint32_t hi, lo;
	uint32_t epc;		/* where to resume */
	uint32_t status;	/* Status at the exception (KUp/IEp: the interrupted mode) */
	uint32_t cause;
	uint32_t badvaddr;
};

_Static_assert(sizeof(struct trapframe) == TF_SIZE, "trapframe layout");
#endif

#endif
