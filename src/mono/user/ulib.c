/*
 * ulib.c: the user programs' C library: string functions, formatted
 * output through write(1), and signal().
 */
#include "user.h"

void *memcpy(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	while (n--)
		*d++ = *s++;
	return dst;
}

void *memset(void *dst, int c, size_t n)
{
	unsigned char *d = dst;

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

/* Returns the decimal number at the start of s (no sign). */
int atoi(const char *s)
{
	int n = 0;

	while (*s >= '0' && *s <= '9')
		n = n * 10 + (*s++ - '0');
	return n;
}

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

struct out {
	char *buf;
	size_t size, len;
};

static void put(struct out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

/* Writes v in base 10 or 16, negative if neg, right-aligned in width with pad. */
static void put_num(struct out *o, uint32_t v, unsigned base, int neg, int width, char pad)
{
	char tmp[12];
	int n = 0;

	do {
		tmp[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	if (neg)
		tmp[n++] = '-';
	for (; width > n; width--)
		put(o, pad);
	while (n)
		put(o, tmp[--n]);
}

/* Formats %d %u %x %s %c %% with an optional 0 flag and width; returns the full length. */
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = { buf, size, 0 };
	const char *s;
	int32_t d;

	for (; *fmt; fmt++) {
		char pad = ' ';
		int width = 0;
		if (*fmt != '%') {
			put(&o, *fmt);
			continue;
		}
		if (*++fmt == '0')
			pad = '0', fmt++;
		while (*fmt >= '0' && *fmt <= '9')
			width = width * 10 + (*fmt++ - '0');
		switch (*fmt) {
		case 'd':
			d = va_arg(ap, int32_t);
			put_num(&o, d < 0 ? 0u - (uint32_t)d : (uint32_t)d, 10, d < 0, width, pad);
			break;
		case 'u': put_num(&o, va_arg(ap, uint32_t), 10, 0, width, pad); break;
		case 'x': put_num(&o, va_arg(ap, uint32_t), 16, 0, width, pad); break;
		case 'c': put(&o, (char)va_arg(ap, int)); break;
		case 's':
			for (s = va_arg(ap, const char *); *s; s++)
				put(&o, *s);
			break;
		case '\0': fmt--; break;
		default: put(&o, *fmt);
		}
	}
	if (size)
		buf[o.len < size ? o.len : size - 1] = 0;
	return (int)o.len;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
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
