/*
 * exos.h: ExOS, the library operating system, as its programs see it.
 *
 * ExOS runs in the program's own address space at user level, on top of
 * the exokernel ABI (aegis.h, generated from src/exokernel/abi.ts). It
 * brings up the environment (crt0.S, env.c: exos_init), fields its
 * exceptions (trap.S, trap.c), keeps a page table and serves TLB misses and
 * demand-zero pages (vm.c), and offers a heap (malloc.c) and console output
 * (console.c, printf.c); string functions and the printf core are the
 * shared C library's (src/exos/libc/libc.h).
 *
 * ExOS is an archive, libexos.a (scripts/build-guest.mjs), so a program
 * links only the modules it uses, among them the interrupt context,
 * user-level threads and the stride scheduler
 * (sched.h: sched.S, sched.c, thread.c), visible revocation (revoke.h:
 * upcall.S, revoke.c), protected control transfer (pct.h: pct.S, pct.c)
 * and networking over packet rings (net.h: ring.c, dpf.c, net.c, arp.c,
 * ip.c, udp.c).
 *
 * The address space (kuseg) as ExOS uses it:
 *
 *   0x00400000  LAYOUT_TEXT   the image: text, rodata, data, bss (the kernel
 *                             maps every page guaranteed); ExOS's save area,
 *                             exception stack and page-table root are in bss
 *   0x10000000  LAYOUT_HEAP   demand-zero heap, [HEAP, brk) (sbrk)
 *   0x20000000  EXOS_HEAP_END end of the heap region
 *   0x30000000  EXOS_RING_BASE packet rings (net.h), one 64 KiB window each,
 *                             mapped guaranteed when made
 *   0x7f000000  EXOS_PT_BASE  the page table's second-level tables, table i
 *                             at EXOS_PT_BASE + i * PAGE (guaranteed)
 *   0x7fd00000  EXOS_STACK_MIN lowest demand-zero stack page (1 MiB of stack)
 *   0x7fdfc000                the kernel's STACK_PAGES of stack (guaranteed)
 *   0x7fe00000  LAYOUT_STACK_TOP = LAYOUT_FRAMES: the frame table, read-only
 *   0x7ffe0000  LAYOUT_REPO   the repossession page, read-only (revoke.h)
 *   0x7fff0000  LAYOUT_INFO   the info page, read-only
 *
 * Every other kuseg address is the program's to map with vm_map.
 */
#ifndef EXOS_H
#define EXOS_H

#include "aegis.h"

#define PAGE_SIZE	LAYOUT_PAGE
#define PAGE_MASK	(LAYOUT_PAGE - 1)
#define EXOS_HEAP_END	0x20000000u
#define EXOS_PT_BASE	0x7f000000u
#define EXOS_STACK_MIN	(LAYOUT_STACK_TOP - 0x100000u)

/* Exit statuses ExOS chooses when it ends a program. */
#define EXIT_WILD	(-1)		/* TLB miss on an address nobody mapped */
#define EXIT_NOMEM	(-4)		/* no frame for a demand-zero page */
#define EXIT_FAULT(code) (128 + (code))	/* unhandled exception `code`; 128: ExOS could not start */

/* Byte offsets in struct exos_trapframe, for trap.S (trap.c checks them). */
#define TF_V0		0
#define TF_V1		4
#define TF_A2		8
#define TF_A3		12
#define TF_T0		16		/* t0..t9 at TF_T0 + 4 * n */
#define TF_RA		56
#define TF_HI		60
#define TF_LO		64
#define TF_SP		68
#define TF_SAVE		72
#define TF_SIZE		80
/* Bytes of the exception stack. */
#define EXOS_XSTACK_SIZE 4096

#ifndef __ASSEMBLER__

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include "libc.h"

/* ---- The system calls: their prototypes are aegis.h's (from abi.ts). ---- */

/* Any call: v0 = num, a0..a3 = the arguments. For hostile programs. */
int sys_call(uint32_t a0, uint32_t a1, uint32_t a2, uint32_t a3, uint32_t num);

/* The name of an error code ("E_Perm"), or "ok" for a result >= 0. */
const char *exos_errname(int err);

/* ---- The environment (trap.c). ---- */

/* A 64-bit capability key, as two words (the ABI passes them in registers). */
struct exos_key {
	uint32_t lo, hi;
};

/* The info page, read-only. */
#define INFO_WORD(off)	(*(volatile const uint32_t *)(LAYOUT_INFO + (off)))
/* The frame-table entry of frame f, read-only. */
#define FRAME_ENTRY(f)	(*(volatile const uint32_t *)(LAYOUT_FRAMES + FRAME_ENTRY_SIZE * (f)))
#define FRAME_OWNER(f)	(FRAME_ENTRY(f) & FRAME_ENTRY_OWNER_MASK)

extern int exos_envid;			/* from the info page */
extern uint32_t exos_nframes;		/* frames in the machine */
extern struct exos_key exos_key;	/* the key of the frames this environment owns */
/*
 * Parses a key handed over as text (an argument, a message): up to 16 hex
 * digits with an optional 0x. 0, or -1 when it is not one.
 */
int exos_parse_key(const char *s, struct exos_key *k);

/* The save area the kernel fills on dispatch (SAVE_* byte offsets). */
struct exos_save {
	uint32_t epc;
	uint32_t cause;
	uint32_t badvaddr;
	uint32_t at;
	uint32_t a0;
	uint32_t a1;
	uint32_t busy;
	uint32_t pad;
};

/* ExOS's save area (set_savearea), in .bss. */
extern struct exos_save exos_save;

/*
 * The registers of the interrupted code the upcall trampoline saved on the
 * exception stack (at, a0 and a1 are in the save area). A handler may
 * change them; the trampoline restores them. Offsets: trapframe.h.
 */
struct exos_trapframe {
	uint32_t v0, v1, a2, a3;
	uint32_t t0, t1, t2, t3, t4, t5, t6, t7, t8, t9;
	uint32_t ra, hi, lo, sp;
	struct exos_save *save;
	uint32_t pad;
};

/*
 * A handler for one exception code, called on the exception stack with
 * the save area and the saved registers; it returns to the faulting code
 * (at save->epc, which it may change) by returning. It runs with busy set:
 * an exception inside it destroys the environment, so it may touch only
 * guaranteed pages and pages it has just mapped.
 */
typedef void exos_handler_t(struct exos_save *save, struct exos_trapframe *tf);

/*
 * Installs h (0: exos_fatal) for exception `code` (1..12, not Sys); returns
 * the previous one, or 0 when code is bad. Defaults: vm_tlb_miss for TLBL
 * and TLBS, vm_mod for Mod, exos_fatal for the rest.
 */
exos_handler_t *exos_set_handler(uint32_t code, exos_handler_t *h);

/* The default for unhandled exceptions: prints cause, EPC and BadVAddr, exits EXIT_FAULT(code). */
void exos_fatal(struct exos_save *save, struct exos_trapframe *tf) __attribute__((noreturn));

/* ExcCode of a Cause value, and its mnemonic. */
#define EXC_CODE(cause)	(((cause) & CAUSE_EXC) >> CAUSE_EXC_SHIFT)
const char *exos_excname(uint32_t code);

/* ---- Virtual memory (vm.c). ---- */

/* Page-table entry software bits (EntryLo bits 7:0 are not hardware). */
#define PTE_OWN		0x01		/* ExOS allocated the frame: vm_unmap frees it */
#define PTE_ZERO	0x02		/* a demand-zero page never written since it was made (D clear; vm_revocable only) */
#define PTE_KEY_SHIFT	4		/* bits 7:4: slot of the key in the key table */
#define PTE_KEY_MASK	0xf0
#define PTE_HW		(ENTRYLO_PFN | ENTRYLO_N | ENTRYLO_D | ENTRYLO_V)

/*
 * Maps page `va` to the frame `entrylo` names (PFN, N, D, V) with `key`
 * (0: the environment's own key), records it in the page table and binds
 * it with tlb_map. PTE_OWN in entrylo marks a frame vm_unmap should free.
 * Returns 0 or an error code (E_Inval for the kernel's or ExOS's reserved
 * ranges, E_NoSpc when the key table is full, or tlb_map's error).
 */
int vm_map(uint32_t va, uint32_t entrylo, const struct exos_key *key);

/* Unmaps page va, forgets it and frees its frame if ExOS allocated it. Returns 0 or E_NoEnt. */
int vm_unmap(uint32_t va);

/* The page-table entry of va, or 0 when there is none. */
uint32_t vm_lookup(uint32_t va);

/* Forgets page va's PTE without a system call (its frame is gone or freed already). */
void vm_forget(uint32_t va);

/* True when a missing page at `page` is made on demand (heap below the break, or stack). */
int vm_demand_zero(uint32_t page);

/*
 * Set by exos_revoke_init (revoke.h): ExOS takes part in revocation. Then
 * a demand-zero page made by a load is bound read-only and marked
 * PTE_ZERO until the first store (a Mod exception vm_mod serves), so
 * revocation can tell pages it may drop for free; a page is bound
 * guaranteed while the handler zeroes it, so the abort protocol cannot
 * take it from under the handler; and a page whose frame the abort
 * protocol took is forgotten, and made again on demand, when a handler
 * finds it can no longer bind it. Off by default.
 */
extern int vm_revocable;

/* The default TLBL/TLBS and Mod handlers, for programs that chain to them. */
void vm_tlb_miss(struct exos_save *save, struct exos_trapframe *tf);
/* Ends the program (a write to a read-only page) unless it is the first write to a PTE_ZERO page. */
void vm_mod(struct exos_save *save, struct exos_trapframe *tf);

/* What the TLB-miss handler did, for programs that want to report it. */
struct exos_vmstats {
	uint32_t refills;	/* misses served from the page table */
	uint32_t zero_fills;	/* demand-zero pages made */
	uint32_t tables;	/* second-level tables made */
	uint32_t first_writes;	/* PTE_ZERO pages made writable (vm_revocable) */
	uint32_t taken;		/* pages found taken at a miss and forgotten (vm_revocable) */
};
extern struct exos_vmstats exos_vmstats;

/* ---- The heap (malloc.c). ---- */

/* Grows the heap by incr bytes (>= 0); returns the old break, or (void *)-1. */
void *sbrk(int incr);
void *malloc(size_t n);
void *calloc(size_t n, size_t size);
void free(void *p);
/* n fresh page-aligned pages from the top of the heap (never freed); 0 when out of room. */
void *page_alloc(uint32_t npages);

/* ---- Console (console.c, printf.c). ---- */

/* printf and vprintf (printf.c) write through the line buffer; the rest of
 * the formatting functions are the shared C library's (libc.h). */
int putchar(int c);
int puts(const char *s);
/* Writes the buffered line to the console now. */
void console_flush(void);
/* Flushes the console and destroys the environment with `status`. */
void exit(int status) __attribute__((noreturn));

/* ---- Strings: the shared C library (src/exos/libc/libc.h). ---- */

#endif /* __ASSEMBLER__ */
#endif
