/*
 * rt.c: the bare-metal runtime (see rt.h).
 *
 * Built with -fno-tree-loop-distribute-patterns so gcc does not turn the
 * loops below into calls to themselves.
 */
#include "rt.h"
#include "prom.h"

#define LINE_MAX 256

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

/* Output cursor for vsnprintf: writes while there is room, counts always. */
struct out {
	char *buf;
	size_t size;
	size_t len;
};

static void put(struct out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

/* Writes v in base 10 or 16, padded to width with pad. */
static void put_num(struct out *o, uint32_t v, unsigned base, int neg,
		    int width, char pad)
{
	char tmp[12];
	int n = 0;

	do {
		tmp[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	if (neg)
		width--;
	if (neg && pad == '0')
		put(o, '-');
	for (; width > n; width--)
		put(o, pad);
	if (neg && pad != '0')
		put(o, '-');
	while (n)
		put(o, tmp[--n]);
}

/* Writes s padded on the left to width. */
static void put_str(struct out *o, const char *s, int width)
{
	int n = (int)strlen(s);

	for (; width > n; width--)
		put(o, ' ');
	while (*s)
		put(o, *s++);
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = { buf, size, 0 };

	for (; *fmt; fmt++) {
		char pad = ' ';
		int width = 0;
		int32_t d;

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
			put_num(&o, d < 0 ? 0u - (uint32_t)d : (uint32_t)d,
				10, d < 0, width, pad);
			break;
		case 'u':
			put_num(&o, va_arg(ap, uint32_t), 10, 0, width, pad);
			break;
		case 'x':
			put_num(&o, va_arg(ap, uint32_t), 16, 0, width, pad);
			break;
		case 's':
			put_str(&o, va_arg(ap, const char *), width);
			break;
		case 'c':
			put(&o, (char)va_arg(ap, int));
			break;
		case '\0':
			fmt--;
			break;
		default:
			put(&o, *fmt);
		}
	}
	if (size)
		buf[o.len < size ? o.len : size - 1] = '\0';
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

/*
 * The line printf hands to the PROM. GXemul 0.7.0's PROM printf tests the
 * low byte of a %s pointer where it means the first character, so a string
 * at an address ending in 0x00 prints as nothing; this buffer is 256-byte
 * aligned and the line starts at offset 1.
 */
static char prom_line[LINE_MAX + 1] __attribute__((aligned(256)));

int printf(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(prom_line + 1, LINE_MAX, fmt, ap);
	va_end(ap);
	prom_printf("%s", prom_line + 1);
	return n;
}

void rt_exit(int status)
{
	(void)status;
	prom_halt();
}
