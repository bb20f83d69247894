/*
 * grabber: usage `grabber [cycles]` (default 2000000).
 *
 * A hostile library OS that starves the kernel: it takes every free frame
 * (frame_alloc until E_NoMem) and every free time slice (slice_alloc until
 * E_NoSpc), then holds them for `cycles` emulated cycles, blocked in net_wait (so the
 * hold costs the host nothing, whatever the RAM size), and exits, which
 * gives them all back. An environment the scenario starts meanwhile cannot
 * be created: the kernel reports env-create-failed and the run goes on.
 */
#include "exos.h"

int sys_net_wait(uint32_t cycles);	/* net.h; this program needs no rings */

int main(int argc, char **argv)
{
	uint32_t hold = argc > 1 ? strtoul(argv[1], 0, 0) : 2000000, held, frames = 0, slices = 0;
	int r;

	while ((r = sys_frame_alloc(-1, exos_key.lo, exos_key.hi)) >= 0)
		frames++;
	printf("grabber: took %u frames, then %s\n", frames, exos_errname(r));
	while ((r = sys_slice_alloc(-1, 1, 0)) >= 0)
		slices++;
	printf("grabber: took %u time slices, then %s\n", slices, exos_errname(r));
	held = hold;
	/* No rings: each wait ends at its deadline (kept clear of the sign bit). */
	while (hold > 0) {
		uint32_t step = hold > 0x40000000 ? 0x40000000 : hold;
		sys_net_wait(step);
		hold -= step;
	}
	printf("grabber: held them for %u cycles\n", held);
	printf("grabber ok\n");
	return 0;
}
