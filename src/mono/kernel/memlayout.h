/*
 * memlayout.h: the address map of a process and of the kernel.
 *
 *   0x00000000 - 0x003fffff   unmapped (null pointers fault)
 *   0x00400000 -              program text, data, bss, then the heap (sbrk)
 *   0x60000000 - 0x6fffffff   shared-memory segments (shmat)
 *   0x7fff0000 - 0x7fffffff   user stack (USTACKPAGES pages below USTACKTOP)
 *   0x80000000 - 0x9fffffff   kseg0: the kernel, unmapped and cached; user
 *                             access is an address error (R3000 manual ch. 4)
 *   0xa0000000 - 0xbfffffff   kseg1: devices, unmapped and uncached
 *
 * The kernel image is loaded at 0x80030000 (src/exos/baremetal/baremetal.ld),
 * above the exception vectors at 0x80000000 (UTLB refill) and 0x80000080
 * (everything else). Physical pages for processes come from the end of the
 * image up to PHYSTOP (param.h).
 */
#ifndef MONO_MEMLAYOUT_H
#define MONO_MEMLAYOUT_H

#define USERBASE	0x00400000u
#define SHMBASE		0x60000000u
#define SHMTOP		0x70000000u
#define USTACKTOP	0x7ffff000u
#define USTACKPAGES	4
#define UTOP		0x80000000u

#define PGSIZE		4096u
#define PGSHIFT		12
#define PGROUNDUP(a)	(((a) + PGSIZE - 1) & ~(PGSIZE - 1))
#define PGROUNDDOWN(a)	((a) & ~(PGSIZE - 1))

/* kseg0 <-> physical. */
#define K0TOPHYS(a)	((uint32_t)(a) - 0x80000000u)
#define PHYSTOK0(a)	((uint32_t)(a) + 0x80000000u)

/* Devices, through kseg1 (docs/reference/decstation.md). */
#define RTC_BASE	0xbfe80000u
#define CSR_BASE	0xbff00000u
#define LANCE_BASE	0xbf800000u

#endif
