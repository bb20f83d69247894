/*
 * string.c: the freestanding string functions every guest program uses
 * (libc.h), and the ones gcc may call on its own (memcpy, memmove, memset,
 * memcmp). Built with -fno-tree-loop-distribute-patterns so gcc does not
 * turn these loops into calls to themselves.
 */
#include "libc.h"

void *memcpy(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if ((((uintptr_t)d | (uintptr_t)s | n) & 3) == 0) {
		uint32_t *dw = dst;
		const uint32_t *sw = src;

		for (; n; n -= 4)
			*dw++ = *sw++;
		return dst;
	}
	while (n--)
		*d++ = *s++;
	return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if (d <= s || d >= s + n)
		return memcpy(dst, src, n);
	while (n--)
		d[n] = s[n];
	return dst;
}

void *memset(void *dst, int c, size_t n)
{
	unsigned char *d = dst;

	if ((((uintptr_t)d | n) & 3) == 0) {
		uint32_t w = (unsigned char)c * 0x01010101u;
		uint32_t *dw = dst;

		for (; n; n -= 4)
			*dw++ = w;
		return dst;
	}
	while (n--)
		*d++ = (unsigned char)c;
	return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;

	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x - *y;
	return 0;
}

size_t strlen(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

int strcmp(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return (unsigned char)*a - (unsigned char)*b;
}

int strncmp(const char *a, const char *b, size_t n)
{
	for (; n; n--, a++, b++) {
		if (*a != *b)
			return (unsigned char)*a - (unsigned char)*b;
		if (!*a)
			break;
	}
	return 0;
}

char *strcpy(char *dst, const char *src)
{
	char *d = dst;

	while ((*d++ = *src++))
		;
	return dst;
}

/* The value of digit c, or 99 when it is none. */
static unsigned digit(char c)
{
	if (c >= '0' && c <= '9')
		return (unsigned)(c - '0');
	if (c >= 'a' && c <= 'z')
		return (unsigned)(c - 'a' + 10);
	if (c >= 'A' && c <= 'Z')
		return (unsigned)(c - 'A' + 10);
	return 99;
}

uint32_t strtoul(const char *s, char **end, int base)
{
	uint32_t v = 0;

	while (*s == ' ')
		s++;
	if ((base == 0 || base == 16) && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2, base = 16;
	if (base == 0)
		base = 10;
	for (; digit(*s) < (unsigned)base; s++)
		v = v * (uint32_t)base + digit(*s);
	if (end)
		*end = (char *)s;
	return v;
}

int atoi(const char *s)
{
	int neg = *s == '-';

	return neg ? -(int)strtoul(s + 1, 0, 10) : (int)strtoul(s, 0, 10);
}

uint32_t fnv1a(uint32_t h, const void *buf, uint32_t n)
{
	const uint8_t *p = buf;

	while (n--)
		h = (h ^ *p++) * 16777619u;
	return h;
}
