/*
 * ulib.c: what the user programs' C library adds to the shared one
 * (src/exos/libc: string functions, the printf core): printf through
 * write(1), and signal().
 */
#include "user.h"

/* Sets sig's handler with the library's trampoline; returns the old one. */
sighandler_t signal(int sig, sighandler_t handler)
{
	return (sighandler_t)sys_signal(sig, handler, sigtramp);
}

/* Formats into a line buffer and writes it to descriptor 1 (at most 255 bytes a call). */
int vprintf(const char *fmt, va_list ap)
{
	char buf[256];
	int n = vsnprintf(buf, sizeof buf, fmt, ap);

	write(1, buf, n < (int)sizeof buf ? (uint32_t)n : sizeof buf - 1);
	return n;
}

