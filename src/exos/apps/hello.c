/*
 * hello: the smallest ExOS program that uses everything ExOS brings up:
 * the console, argv from the info page, and the demand-zero heap. It
 * greets, prints its arguments, fills 64 KiB of heap (16 pages the
 * TLB-miss handler makes on first touch), sums it and exits 0 when the
 * sum is what arithmetic says.
 */
#include "exos.h"

#define HEAP_BYTES	(64 * 1024)
#define WORDS		(HEAP_BYTES / 4)

int main(int argc, char **argv)
{
	uint32_t *a, sum = 0, expect, i;
	int k;

	printf("hello from exos in environment %d\n", exos_envid);
	printf("argc %d\n", argc);
	for (k = 0; k < argc; k++)
		printf("argv[%d] = \"%s\"\n", k, argv[k]);

	a = malloc(HEAP_BYTES);
	if (!a) {
		printf("hello: malloc(%u) failed\n", HEAP_BYTES);
		return 1;
	}
	for (i = 0; i < WORDS; i++)
		a[i] = i;
	for (i = 0; i < WORDS; i++)
		sum += a[i];
	expect = WORDS / 2 * (WORDS - 1);
	printf("heap: %u bytes at %p, sum %u (expected %u)\n", HEAP_BYTES, (void *)a, sum, expect);
	printf("heap: %u pages made on demand\n", exos_vmstats.zero_fills);
	free(a);
	printf("hello %s\n", sum == expect ? "ok" : "BAD");
	return sum == expect ? 0 : 1;
}
