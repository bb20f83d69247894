/*
 * memwalk: usage `memwalk [pages [passes]]` (defaults 256 and 4).
 *
 * Takes `pages` fresh heap pages and, on every pass, writes a known value
 * into 64 words of each page (every 16th word), then reads them all back
 * and sums them. The first pass finds every page missing: the kernel's
 * STLB misses and ExOS's handler makes the page (demand zero, which the
 * walk checks). Later passes touch pages the hardware TLB (64 entries)
 * cannot hold, so the kernel's STLB serves the misses. Each sum is checked
 * against its closed form; the output is the same on every run.
 */
#include "exos.h"

#define PATTERN		0x9e3779b9u	/* any odd constant */
#define STRIDE		16		/* words between touched words */
#define TOUCHED		(PAGE_SIZE / 4 / STRIDE)

/* The value pass `pass` writes at word j of page i. */
static uint32_t value(uint32_t i, uint32_t j, uint32_t pass)
{
	return i * PATTERN + j + pass;
}

/*
 * The sum of value(i, j, pass) over every page i < n and touched word j,
 * in closed form, mod 2^32: TOUCHED * PATTERN * n(n-1)/2
 * + n * STRIDE * TOUCHED(TOUCHED-1)/2 + n * TOUCHED * pass.
 */
static uint32_t expected(uint32_t n, uint32_t pass)
{
	uint32_t tri = (n % 2 == 0) ? (n / 2) * (n - 1) : n * ((n - 1) / 2);

	return TOUCHED * PATTERN * tri + n * STRIDE * (TOUCHED * (TOUCHED - 1) / 2) +
	       n * TOUCHED * pass;
}

/* Writes pass `pass`'s values; returns how many words were not zero before (first pass only). */
static uint32_t write_pass(uint32_t *base, uint32_t n, uint32_t pass)
{
	uint32_t i, j, dirty = 0;

	for (i = 0; i < n; i++) {
		uint32_t *page = base + i * (PAGE_SIZE / 4);

		for (j = 0; j < PAGE_SIZE / 4; j += STRIDE) {
			if (pass == 0 && page[j] != 0)
				dirty++;
			page[j] = value(i, j, pass);
		}
	}
	return dirty;
}

static uint32_t read_pass(const uint32_t *base, uint32_t n)
{
	uint32_t i, j, sum = 0;

	for (i = 0; i < n; i++)
		for (j = 0; j < PAGE_SIZE / 4; j += STRIDE)
			sum += base[i * (PAGE_SIZE / 4) + j];
	return sum;
}

int main(int argc, char **argv)
{
	uint32_t n = argc > 1 ? strtoul(argv[1], 0, 0) : 256;
	uint32_t passes = argc > 2 ? strtoul(argv[2], 0, 0) : 4;
	uint32_t *base, pass, sum, want, dirty = 0, bad = 0;

	printf("memwalk: %u pages, %u passes\n", n, passes);
	base = n ? page_alloc(n) : 0;
	if (!base) {
		printf("memwalk: cannot get %u pages\n", n);
		return 2;
	}
	for (pass = 0; pass < passes; pass++) {
		dirty += write_pass(base, n, pass);
		sum = read_pass(base, n);
		want = expected(n, pass);
		printf("pass %u: sum 0x%08x expected 0x%08x\n", pass + 1, sum, want);
		bad += sum != want;
	}
	printf("memwalk: %u pages made on demand, %u words not zero at first touch\n",
	       exos_vmstats.zero_fills, dirty);
	bad += dirty != 0;
	printf("memwalk %s\n", bad ? "BAD" : "ok");
	return bad ? 1 : 0;
}
