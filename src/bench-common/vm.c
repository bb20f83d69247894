/*
 * vm.c: Appel and Li's virtual-memory primitives as the Aegis paper
 * measures them, written against bench.h (the tests run on the
 * system's own protection calls and fault handler).
 *
 *   bench-vm <dirty|prot1|prot100|unprot100|trap|appel1|appel2> <n>
 *
 * It sets up NPAGES (100) pages and an alias of them, each page with a
 * known word at its start, then times n iterations between two
 * bench_mark calls:
 *   dirty      ask whether a page is dirty, one page (if the system can)
 *   prot1      write-protect one page
 *   prot100    write-protect all 100 pages         (one iteration = 100 pages)
 *   unprot100  make all 100 pages writable again   (one iteration = 100 pages)
 *   trap       a store to a write-protected page; the handler does the store
 *              through the alias and steps over it, leaving the protection
 *   appel1     a store to a protected page; the handler unprotects it and
 *              protects the page the previous fault unprotected
 *   appel2     per round, protect all 100 pages, then store to each; the
 *              handler unprotects the faulting page (one iteration = one page)
 * and prints `bench-vm <test>: <iterations> iterations, result <sum> ok`
 * (BAD when a check fails).
 */
#include "bench.h"

#define NPAGES		100
#define PAGE		4096u
#define MAGIC		0x9e3779b9u
#define WORD(va, w)	(((volatile uint32_t *)(va))[(w)])

enum { M_NONE, M_TRAP, M_APPEL1, M_APPEL2 };

static uint32_t region, alias;
static volatile uint32_t mode, faults, pending, prev, herr;

#define PG(i)		(region + (uint32_t)(i) * PAGE)

/* The store the trap test faults on: one instruction, never in a delay slot. */
static inline void store(volatile uint32_t *p, uint32_t v)
{
	__asm__ volatile(".set push\n\t.set noreorder\n\tsw %0, 0(%1)\n\tnop\n\t.set pop"
			 : : "r"(v), "r"(p) : "memory");
}

static void on_fault(struct bench_fault *f)
{
	uint32_t page = f->addr & ~(PAGE - 1);

	faults++;
	if (page < region || page >= PG(NPAGES)) {
		herr = 1;
		bench_unprot(page, 1);
		return;
	}
	switch (mode) {
	case M_TRAP:
		if (f->in_delay_slot) {
			herr = 1;
			bench_unprot(page, 1);
			return;
		}
		WORD(alias + (f->addr - region), 0) = pending;
		f->skip = 1;
		return;
	case M_APPEL1:
		herr |= bench_unprot(page, 1) < 0;
		if (prev)
			herr |= bench_prot(prev, 1) < 0;
		prev = page;
		return;
	default:
		herr |= bench_unprot(page, 1) < 0;
		return;
	}
}

/* 1 if every page from `from` to `to` still holds its magic word. */
static int pages_ok(uint32_t from, uint32_t to)
{
	uint32_t i;

	for (i = from; i < to; i++)
		if (WORD(PG(i), 0) != (MAGIC ^ i))
			return 0;
	return 1;
}

/* Runs test t for n iterations; sets *iters, returns the checksum; *bad on a failed check. */
static uint32_t run(const char *t, uint32_t n, uint32_t *iters, uint32_t *bad)
{
	uint32_t i, j, sum = 0;

	*iters = n;
	if (t[0] == 'd') {			/* dirty */
		int d = bench_dirty(PG(0));
		if (d < 0)
			return *bad = 2, 0;
		bench_mark();
		for (i = 0; i < n; i++)
			sum += (uint32_t)bench_dirty(PG(i % NPAGES));
		bench_mark();
	} else if (t[0] == 'p' && t[4] == '1' && t[5] == 0) {	/* prot1 */
		bench_mark();
		for (i = 0; i < n; i++)
			*bad |= bench_prot(PG(0), 1) < 0;
		bench_mark();
		sum = WORD(PG(0), 0);
	} else if (t[0] == 'p') {		/* prot100 */
		bench_mark();
		for (i = 0; i < n; i++)
			*bad |= bench_prot(PG(0), NPAGES) < 0;
		bench_mark();
		for (j = 0; j < NPAGES; j++)
			sum += WORD(PG(j), 0);
	} else if (t[0] == 'u') {		/* unprot100 */
		*bad |= bench_prot(PG(0), NPAGES) < 0;
		bench_mark();
		for (i = 0; i < n; i++)
			*bad |= bench_unprot(PG(0), NPAGES) < 0;
		bench_mark();
		for (j = 0; j < NPAGES; j++) {
			WORD(PG(j), 1) = j;	/* writable: no faults now */
			sum += WORD(PG(j), 0) + WORD(PG(j), 1);
		}
		*bad |= faults != 0;
	} else if (t[0] == 't') {		/* trap */
		*bad |= bench_prot(PG(0), 1) < 0;
		mode = M_TRAP;
		bench_mark();
		for (i = 0; i < n; i++) {
			pending = i * 2654435761u;
			store(&WORD(PG(0), 1 + (i & 1023) % 1023), pending);
		}
		bench_mark();
		mode = M_NONE;
		*bad |= faults != n;
		for (i = n > 1023 ? n - 1023 : 0; i < n; i++)
			*bad |= WORD(PG(0), 1 + (i & 1023) % 1023) != i * 2654435761u;
		for (i = 1; i < 1024; i++)
			sum += WORD(PG(0), i);
	} else if (t[5] == '1') {		/* appel1 */
		*bad |= bench_prot(PG(0), NPAGES) < 0;
		mode = M_APPEL1;
		bench_mark();
		for (i = 0; i < n; i++)
			WORD(PG(i % NPAGES), 1 + (i / NPAGES) % 1023) = i;
		bench_mark();
		mode = M_NONE;
		*bad |= faults != n;
		for (i = n > NPAGES ? n - NPAGES : 0; i < n; i++)
			*bad |= WORD(PG(i % NPAGES), 1 + (i / NPAGES) % 1023) != i;
		sum = faults;
		for (i = n > NPAGES ? n - NPAGES : 0; i < n; i++)
			sum += WORD(PG(i % NPAGES), 1 + (i / NPAGES) % 1023);
	} else {				/* appel2 */
		mode = M_APPEL2;
		*iters = n * NPAGES;
		bench_mark();
		for (i = 0; i < n; i++) {
			*bad |= bench_prot(PG(0), NPAGES) < 0;
			for (j = 0; j < NPAGES; j++)
				WORD(PG(j), 1) = i + j;
		}
		bench_mark();
		mode = M_NONE;
		*bad |= faults != *iters;
		for (j = 0; j < NPAGES; j++) {
			*bad |= n && WORD(PG(j), 1) != n - 1 + j;
			sum += WORD(PG(j), 1);
		}
		sum += faults;
	}
	return sum;
}

static int known(const char *t)
{
	static const char *const tests[] = { "dirty", "prot1", "prot100", "unprot100", "trap", "appel1", "appel2" };
	uint32_t i, k;

	for (i = 0; i < sizeof tests / sizeof tests[0]; i++) {
		for (k = 0; t[k] && t[k] == tests[i][k]; k++)
			;
		if (t[k] == 0 && tests[i][k] == 0)
			return 1;
	}
	return 0;
}

int bench_main(int argc, char **argv)
{
	uint32_t n = 0, i, iters, sum, bad = 0;
	const char *s;

	if (argc != 3 || !known(argv[1])) {
		printf("usage: bench-vm <dirty|prot1|prot100|unprot100|trap|appel1|appel2> <n>\n");
		return 2;
	}
	for (s = argv[2]; *s >= '0' && *s <= '9'; s++)
		n = n * 10 + (uint32_t)(*s - '0');
	if (!(region = bench_vm_region(NPAGES, &alias))) {
		printf("bench-vm: cannot map %u pages\n", NPAGES);
		return 1;
	}
	for (i = 0; i < NPAGES; i++)
		WORD(PG(i), 0) = MAGIC ^ i;
	bench_on_fault(on_fault);
	sum = run(argv[1], n, &iters, &bad);
	if (bad == 2) {
		printf("bench-vm %s: not supported by this system\n", argv[1]);
		return 0;
	}
	bad |= herr || !pages_ok(0, NPAGES);
	bench_on_fault(0);
	printf("bench-vm %s: %u iterations, result 0x%08x %s\n", argv[1], iters, sum, bad ? "BAD" : "ok");
	return bad ? 1 : 0;
}
