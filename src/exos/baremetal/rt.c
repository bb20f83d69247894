/*
 * rt.c: the bare-metal runtime (see rt.h): printf through the PROM on top
 * of the shared C library (src/exos/libc), and program exit.
 */
#include "rt.h"
#include "prom.h"

#define LINE_MAX 256

/*
 * The line printf hands to the PROM. GXemul 0.7.0's PROM printf tests the
 * low byte of a %s pointer where it means the first character, so a string
 * at an address ending in 0x00 prints as nothing; this buffer is 256-byte
 * aligned and the line starts at offset 1.
 */
static char prom_line[LINE_MAX + 1] __attribute__((aligned(256)));

int vprintf(const char *fmt, va_list ap)
{
	int n = vsnprintf(prom_line + 1, LINE_MAX, fmt, ap);

	prom_printf("%s", prom_line + 1);
	return n;
}


void rt_exit(int status)
{
	(void)status;
	prom_halt();
}
