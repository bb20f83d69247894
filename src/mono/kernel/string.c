/*
 * string.c: the string functions the kernel needs beyond rt.c's.
 */
#include "defs.h"

/* Returns <0, 0 or >0 as a sorts before, equal to or after b. */
int strcmp(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return (unsigned char)*a - (unsigned char)*b;
}

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
