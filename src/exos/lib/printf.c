/*
 * printf.c: ExOS's printf: the shared printf core (src/exos/libc/format.c)
 * writing through the console's line buffer (console.c).
 */
#include "exos.h"

static void console_putc(void *arg, char c)
{
	(void)arg;
	putchar(c);
}

int vprintf(const char *fmt, va_list ap)
{
	return vformat(console_putc, 0, fmt, ap);
}

