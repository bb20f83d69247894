/*
 * hello.c: the smallest end-to-end check of the bare-metal runtime: the
 * PROM passed the REX magic, the callback printf prints, rt.c's formatter
 * handles every conversion the other programs use, and halt stops.
 */
#include "rt.h"
#include "prom.h"

int main(void)
{
	printf("hello from exoscope bare metal\n");
	printf("rex magic: %08x\n", rex_magic);
	printf("fmt x: %x %8x %08x\n", 0xbeefu, 0x1234u, 0xabcu);
	printf("fmt d: %d %d %5d %05d\n", 0, -2147483647 - 1, -42, 42);
	printf("fmt u: %u %u\n", 4294967295u, 10u);
	printf("fmt s: [%s] [%6s] %c%c %%\n", "str", "pad", 'o', 'k');
	printf("hello done\n");
	return 0;
}
