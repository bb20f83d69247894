/*
 * vm-bench: the virtual-memory primitives of Appel and Li as the Aegis
 * paper measures them, on ExOS's own page table (vm.c: vm_lookup, vm_map,
 * which updates the PTE and binds it with tlb_map).
 *
 *   vm-bench <dirty|prot1|prot100|unprot100|trap|appel1|appel2> <n>
 *
 * It maps NPAGES (100) pages of its own at REGION, each with a known word
 * at the start, then times n iterations between two sys_null calls:
 *   dirty      query whether a page is dirty (D in its PTE), one page
 *   prot1      write-protect one page (remap it without D)
 *   prot100    write-protect all 100 pages          (one iteration = 100 pages)
 *   unprot100  make all 100 pages writable again    (one iteration = 100 pages)
 *   trap       a store to a write-protected page, taken by the Mod handler
 *              installed with exos_set_handler, which resolves it without
 *              changing the protection: it does the store through a second,
 *              writable (guaranteed) mapping of the frame and steps over
 *              the faulting instruction
 *   appel1     a store to a protected page; the handler unprotects it and
 *              protects the page the previous fault unprotected (prot1 +
 *              trap + unprot per iteration)
 *   appel2     per round, protect all 100 pages, then store to each; the
 *              handler unprotects the faulting page (prot100 + 100 traps +
 *              100 unprots per round; one iteration = one page, so it
 *              prints n * 100 iterations)
 * Afterwards it checks the page table, the fault count and the data, and
 * prints `vm-bench <test>: <iterations> iterations, result <checksum> ok`
 * (BAD when a check fails).
 */
#include "exos.h"

#define NPAGES		100
#define REGION		0x40000000u
#define ALIAS		0x40800000u	/* a second, writable mapping of REGION's first page */
#define MAGIC		0x9e3779b9u
#define PG(i)		(REGION + (uint32_t)(i) * PAGE_SIZE)
#define WORD(va, w)	(((volatile uint32_t *)(va))[(w)])

enum { M_NONE, M_TRAP, M_APPEL1, M_APPEL2 };

static volatile uint32_t mode, faults, pending, prev, herr;

static int prot(uint32_t va)
{
	return vm_map(va, vm_lookup(va) & ~ENTRYLO_D, 0);
}

static int unprot(uint32_t va)
{
	return vm_map(va, vm_lookup(va) | ENTRYLO_D, 0);
}

/* The store the trap test takes a Mod on: one instruction, never in a delay slot. */
static inline void store(volatile uint32_t *p, uint32_t v)
{
	__asm__ volatile(".set push\n\t.set noreorder\n\tsw %0, 0(%1)\n\tnop\n\t.set pop"
			 : : "r"(v), "r"(p) : "memory");
}

static void on_mod(struct exos_save *s, struct exos_trapframe *tf)
{
	uint32_t page = s->badvaddr & ~PAGE_MASK;

	if (page < REGION || page >= PG(NPAGES) || mode == M_NONE) {
		vm_mod(s, tf);
		return;
	}
	faults++;
	switch (mode) {
	case M_TRAP:
		if (page != REGION || (s->cause & CAUSE_BD)) {
			vm_mod(s, tf);
			return;
		}
		WORD(ALIAS + (s->badvaddr & PAGE_MASK), 0) = pending;
		s->epc += 4;
		return;
	case M_APPEL1:
		herr |= unprot(page) < 0;
		if (prev)
			herr |= prot(prev) < 0;
		prev = page;
		return;
	default:
		herr |= unprot(page) < 0;
		return;
	}
}

static int setup(void)
{
	uint32_t i, pte;
	int f, r;

	for (i = 0; i < NPAGES; i++) {
		f = sys_frame_alloc(-1, exos_key.lo, exos_key.hi);
		if (f < 0)
			return f;
		r = vm_map(PG(i), (uint32_t)f << 12 | ENTRYLO_D | ENTRYLO_V | PTE_OWN, 0);
		if (r < 0)
			return r;
		WORD(PG(i), 0) = MAGIC ^ i;
	}
	pte = vm_lookup(REGION);
	r = sys_tlb_map(ALIAS | MAP_FLAG_Guaranteed, (pte & ENTRYLO_PFN) | ENTRYLO_D | ENTRYLO_V,
			exos_key.lo, exos_key.hi);
	if (r < 0)
		return r;
	exos_set_handler(EXC_Mod, on_mod);
	return 0;
}

/* True when every page's first word (and D, as `writable` says) is as set up. */
static int pages_ok(uint32_t from, uint32_t to, int writable)
{
	uint32_t i;

	for (i = from; i < to; i++) {
		if (WORD(PG(i), 0) != (MAGIC ^ i))
			return 0;
		if (!(vm_lookup(PG(i)) & ENTRYLO_D) != !writable)
			return 0;
	}
	return 1;
}

int main(int argc, char **argv)
{
	uint32_t n, i, j, iters, sum = 0, bad = 0;
	const char *t;
	int r;

	if (argc != 3) {
		printf("usage: vm-bench <dirty|prot1|prot100|unprot100|trap|appel1|appel2> <n>\n");
		return 2;
	}
	t = argv[1];
	n = strtoul(argv[2], 0, 0);
	iters = n;
	r = setup();
	if (r < 0) {
		printf("vm-bench: setup: %s\n", exos_errname(r));
		return 1;
	}
	if (!strcmp(t, "dirty")) {
		sys_null();
		for (i = 0; i < n; i++)
			sum += (vm_lookup(PG(i % NPAGES)) & ENTRYLO_D) != 0;
		sys_null();
		bad = sum != n || !pages_ok(0, NPAGES, 1);
	} else if (!strcmp(t, "prot1")) {
		sys_null();
		for (i = 0; i < n; i++)
			bad |= prot(REGION) < 0;
		sys_null();
		bad |= !pages_ok(0, 1, 0) || !pages_ok(1, NPAGES, 1);
		sum = WORD(REGION, 0);
	} else if (!strcmp(t, "prot100")) {
		sys_null();
		for (i = 0; i < n; i++)
			for (j = 0; j < NPAGES; j++)
				bad |= prot(PG(j)) < 0;
		sys_null();
		bad |= !pages_ok(0, NPAGES, 0);
		for (j = 0; j < NPAGES; j++)
			sum += WORD(PG(j), 0);
	} else if (!strcmp(t, "unprot100")) {
		for (j = 0; j < NPAGES; j++)
			bad |= prot(PG(j)) < 0;
		sys_null();
		for (i = 0; i < n; i++)
			for (j = 0; j < NPAGES; j++)
				bad |= unprot(PG(j)) < 0;
		sys_null();
		bad |= !pages_ok(0, NPAGES, 1);
		for (j = 0; j < NPAGES; j++) {	/* writable: no faults now */
			WORD(PG(j), 1) = j;
			sum += WORD(PG(j), 0) + WORD(PG(j), 1);
		}
		bad |= faults != 0;
	} else if (!strcmp(t, "trap")) {
		bad |= prot(REGION) < 0;
		mode = M_TRAP;
		sys_null();
		for (i = 0; i < n; i++) {
			pending = i * 2654435761u;
			store(&WORD(REGION, 1 + (i & 1023) % 1023), pending);
		}
		sys_null();
		mode = M_NONE;
		bad |= faults != n || !pages_ok(0, 1, 0);
		for (i = n > 1023 ? n - 1023 : 0; i < n; i++)	/* the last value stored in each word */
			bad |= WORD(REGION, 1 + (i & 1023) % 1023) != i * 2654435761u;
		for (i = 1; i < 1024; i++)
			sum += WORD(REGION, i);
	} else if (!strcmp(t, "appel1")) {
		for (j = 0; j < NPAGES; j++)
			bad |= prot(PG(j)) < 0;
		mode = M_APPEL1;
		sys_null();
		for (i = 0; i < n; i++)
			WORD(PG(i % NPAGES), 1 + (i / NPAGES) % 1023) = i;
		sys_null();
		mode = M_NONE;
		bad |= faults != n || herr;
		/* exactly one page, the last one written, is writable */
		for (j = 0; j < NPAGES; j++)
			bad |= !(vm_lookup(PG(j)) & ENTRYLO_D) != (n == 0 || j != (n - 1) % NPAGES);
		for (i = n > NPAGES ? n - NPAGES : 0; i < n; i++)
			bad |= WORD(PG(i % NPAGES), 1 + (i / NPAGES) % 1023) != i;
		for (j = 0; j < NPAGES; j++)
			bad |= WORD(PG(j), 0) != (MAGIC ^ j);
		sum = faults;
		for (i = n > NPAGES ? n - NPAGES : 0; i < n; i++)
			sum += WORD(PG(i % NPAGES), 1 + (i / NPAGES) % 1023);
	} else if (!strcmp(t, "appel2")) {
		mode = M_APPEL2;
		iters = n * NPAGES;
		sys_null();
		for (i = 0; i < n; i++) {
			for (j = 0; j < NPAGES; j++)
				bad |= prot(PG(j)) < 0;
			for (j = 0; j < NPAGES; j++)
				WORD(PG(j), 1) = i + j;
		}
		sys_null();
		mode = M_NONE;
		bad |= faults != iters || herr || !pages_ok(0, NPAGES, 1);
		for (j = 0; j < NPAGES; j++) {
			bad |= n && WORD(PG(j), 1) != n - 1 + j;
			sum += WORD(PG(j), 1);
		}
		sum += faults;
	} else {
		printf("vm-bench: no test %s\n", t);
		return 2;
	}
	printf("vm-bench %s: %u iterations, result 0x%08x %s\n", t, iters, sum, bad ? "BAD" : "ok");
	return bad ? 1 : 0;
}
