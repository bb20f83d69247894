/*
 * attacker-die.c: `attacker die <how>`: one fault with ExOS's own handlers
 * in place, to show what ExOS does with it (the program ends there, except
 * for `stack`):
 *   wild    store to 0x00001000, which nobody mapped: TLBS, exit -1
 *   kernel  load from kseg0: AdEL, exit 128 + 4
 *   text    store to its own text (no D): Mod, exit 128 + 1
 *   priv    mtc0: CpU, exit 128 + 11
 *   break   break: Bp, exit 128 + 9
 *   ri      a reserved opcode: RI, exit 128 + 10
 *   ov      add overflowing: Ov, exit 128 + 12
 *   stack   recurses through 256 KiB of stack that ExOS makes on demand,
 *           then returns: exit 0
 *   deep    recurses past ExOS's 1 MiB stack limit: TLBS, exit -1
 *   nested  a Bp handler that faults itself: the kernel destroys the
 *           environment (an exception while busy), no exit status
 */
#include "attacker.h"

#define FRAME_BYTES	1024

/* Uses FRAME_BYTES of stack per level, `levels` deep; returns a checksum. */
static uint32_t recurse(uint32_t levels)
{
	volatile uint8_t buf[FRAME_BYTES];
	uint32_t i;

	for (i = 0; i < FRAME_BYTES; i += 256)
		buf[i] = (uint8_t)(levels + i);
	return levels ? recurse(levels - 1) + buf[0] : 0;
}

static void fault_in_handler(struct exos_save *s, struct exos_trapframe *tf)
{
	(void)s, (void)tf;
	probe_store(0x1000, 0);
}

int die(const char *how)
{
	uint32_t w;

	printf("attacker: die %s\n", how);
	if (!strcmp(how, "wild"))
		probe_store(0x1000, 0);
	else if (!strcmp(how, "kernel"))
		probe_load(0x80000000u, &w);
	else if (!strcmp(how, "text"))
		probe_store(LAYOUT_TEXT, 0);
	else if (!strcmp(how, "priv"))
		probe_mtc0();
	else if (!strcmp(how, "break"))
		probe_break();
	else if (!strcmp(how, "ri"))
		probe_reserved();
	else if (!strcmp(how, "ov"))
		probe_overflow();
	else if (!strcmp(how, "stack") || !strcmp(how, "deep")) {
		w = how[0] == 's' ? 256 : 2048;
		printf("recursing %u KiB deep\n", w * FRAME_BYTES / 1024);
		w = recurse(w);
		printf("back: checksum %u, %u stack pages made on demand\n", w,
		       exos_vmstats.zero_fills);
		return 0;
	} else if (!strcmp(how, "nested")) {
		exos_set_handler(EXC_Bp, fault_in_handler);
		probe_break();
	} else {
		printf("usage: attacker die wild|kernel|text|priv|break|ri|ov|stack|deep|nested\n");
		return 2;
	}
	printf("attacker: still alive after die %s\n", how);
	return 1;
}
