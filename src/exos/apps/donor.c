/*
 * donor: usage `donor <envid> [times]` (default 100).
 *
 * Directed yield: gives the rest of its slice to environment <envid> with
 * yield_to, `times` times, and prints how many it gave. The kernel refuses
 * (E_Inval) when that environment does not exist or no longer runs; donor
 * then stops early, which is a normal end.
 */
#include "exos.h"

int main(int argc, char **argv)
{
	uint32_t times = argc > 2 ? strtoul(argv[2], 0, 0) : 100, k;
	int target, r = 0;

	if (argc < 2) {
		printf("donor: usage: donor <envid> [times]\n");
		return 2;
	}
	target = (int)strtoul(argv[1], 0, 0);
	printf("donor: giving %u slices to environment %d\n", times, target);
	for (k = 0; k < times; k++) {
		r = sys_yield_to(target);
		if (r < 0)
			break;
	}
	if (r < 0)
		printf("donor: yield_to(%d) refused after %u: %s\n", target, k, exos_errname(r));
	printf("donor: gave %u slices to environment %d\n", k, target);
	printf("donor %s\n", r < 0 && r != E_Inval ? "BAD" : "ok");
	return r < 0 && r != E_Inval ? 1 : 0;
}
