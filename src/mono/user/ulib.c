/*
 * ulib.c: what the user programs' C library adds to the shared one
 * (src/exos/libc: string functions, the printf core): printf through
 * write(1), an FNV-1a hash, and signal().
 */
#include "user.h"

/* Folds n bytes into an FNV-1a hash h (start with FNV_INIT). */
uint32_t fnv1a(uint32_t h, const void *buf, uint32_t n)
{
	const uint8_t *p = buf;

	while (n--)
		h = (h ^ *p++) * 16777619u;
	return h;
}

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

/* vprintf with its arguments in place. */
int printf(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprintf(fmt, ap);
	va_end(ap);
	return n;
}
