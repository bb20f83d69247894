/*
 * grabber: usage `grabber [spins]` (default 2000000).
 *
 * A hostile library OS that starves the kernel: it takes every free frame
 * (frame_alloc until E_NoMem) and every free time slice (slice_alloc until
 * E_NoSpc), then holds them for `spins` turns of a loop and exits, which
 * gives them all back. An environment the scenario starts meanwhile cannot
 * be created: the kernel reports env-create-failed and the run goes on.
 */
#include "exos.h"

int main(int argc, char **argv)
{
	uint32_t spins = argc > 1 ? strtoul(argv[1], 0, 0) : 2000000, frames = 0, slices = 0;
	volatile uint32_t i;
	int r;

	while ((r = sys_frame_alloc(-1, exos_key.lo, exos_key.hi)) >= 0)
		frames++;
	printf("grabber: took %u frames, then %s\n", frames, exos_errname(r));
	while ((r = sys_slice_alloc(-1, 1, 0)) >= 0)
		slices++;
	printf("grabber: took %u time slices, then %s\n", slices, exos_errname(r));
	for (i = 0; i < spins; i++)
		;
	printf("grabber: held them for %u spins\n", spins);
	printf("grabber ok\n");
	return 0;
}
