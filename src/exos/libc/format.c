/*
 * format.c: the printf core every guest program shares (libc.h): vformat
 * sends characters through a caller's putc; vsnprintf and snprintf put
 * them in a buffer. Conversions: %d %u %x %p %s %c %%, with the flags '0'
 * (pad with zeros) and '-' (pad on the right) and a width. 32-bit only: no
 * 64-bit division on the R3000 without libgcc.
 */
#include "libc.h"

/* Output cursor: the caller's putc and a count of every character. */
struct out {
	libc_putc_t *putc;
	void *arg;
	int len;
};

struct spec {
	int width;
	char pad;	/* ' ' or '0' */
	int left;	/* '-' */
};

static void put(struct out *o, char c)
{
	o->putc(o->arg, c);
	o->len++;
}

/* Writes n spaces or pad characters. */
static void fill(struct out *o, int n, char c)
{
	for (; n > 0; n--)
		put(o, c);
}

/* Writes v in base 10 or 16 with an optional sign, laid out by sp. */
static void put_num(struct out *o, uint32_t v, unsigned base, int neg, struct spec sp)
{
	char tmp[12];
	int n = 0;

	do {
		tmp[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	if (neg)
		tmp[n++] = '-';
	if (sp.pad == '0' && !sp.left) {
		if (neg)
			put(o, tmp[--n]);
		fill(o, sp.width - n - neg, '0');
	} else if (!sp.left) {
		fill(o, sp.width - n, ' ');
	}
	sp.width -= n;
	while (n)
		put(o, tmp[--n]);
	if (sp.left)
		fill(o, sp.width, ' ');
}

/* Writes s laid out by sp ("(null)" for a null pointer). */
static void put_str(struct out *o, const char *s, struct spec sp)
{
	int n;

	if (!s)
		s = "(null)";
	n = (int)strlen(s);
	if (!sp.left)
		fill(o, sp.width - n, ' ');
	while (*s)
		put(o, *s++);
	if (sp.left)
		fill(o, sp.width - n, ' ');
}

/* Reads the flags and width at *fmt. */
static struct spec parse_spec(const char **fmt)
{
	struct spec sp = { 0, ' ', 0 };

	for (;; (*fmt)++) {
		if (**fmt == '0')
			sp.pad = '0';
		else if (**fmt == '-')
			sp.left = 1;
		else
			break;
	}
	while (**fmt >= '0' && **fmt <= '9')
		sp.width = sp.width * 10 + (*(*fmt)++ - '0');
	return sp;
}

int vformat(libc_putc_t *putc, void *arg, const char *fmt, va_list ap)
{
	struct out o = { putc, arg, 0 };
	struct spec sp;
	int32_t d;

	for (; *fmt; fmt++) {
		if (*fmt != '%') {
			put(&o, *fmt);
			continue;
		}
		fmt++;
		sp = parse_spec(&fmt);
		switch (*fmt) {
		case 'd':
			d = va_arg(ap, int32_t);
			put_num(&o, d < 0 ? 0u - (uint32_t)d : (uint32_t)d, 10, d < 0, sp);
			break;
		case 'u':
			put_num(&o, va_arg(ap, uint32_t), 10, 0, sp);
			break;
		case 'x':
			put_num(&o, va_arg(ap, uint32_t), 16, 0, sp);
			break;
		case 'p':
			put(&o, '0');
			put(&o, 'x');
			sp.width = 8, sp.pad = '0', sp.left = 0;
			put_num(&o, (uint32_t)va_arg(ap, void *), 16, 0, sp);
			break;
		case 's':
			put_str(&o, va_arg(ap, const char *), sp);
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
	return o.len;
}

/* A buffer being filled by vsnprintf. */
struct buf {
	char *p;
	size_t size, len;
};

static void buf_putc(void *arg, char c)
{
	struct buf *b = arg;

	if (b->len + 1 < b->size)
		b->p[b->len] = c;
	b->len++;
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct buf b = { buf, size, 0 };
	int n = vformat(buf_putc, &b, fmt, ap);

	if (size)
		buf[b.len < size ? b.len : size - 1] = '\0';
	return n;
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

/* vprintf, the runtime's own, with the arguments in place. */
int printf(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprintf(fmt, ap);
	va_end(ap);
	return n;
}
