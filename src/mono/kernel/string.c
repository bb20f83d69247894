/*
 * string.c: the string function the kernel needs beyond the shared C library's
 * (src/exos/libc).
 */
#include "defs.h"

/* Copies at most n-1 bytes of src and always terminates dst; returns dst. */
char *safestrcpy(char *dst, const char *src, int n)
{
	char *d = dst;

	if (n <= 0)
		return dst;
	while (--n > 0 && (*d = *src++) != 0)
		d++;
	*d = 0;
	return dst;
}
