/*
 * libc.h: the one small C library every guest program links: ExOS and its
 * programs, the bare-metal runtime (conformance programs, cpubench, the
 * monolithic kernel) and the monolithic kernel's user programs. String
 * functions (string.c) and the printf core (format.c); each runtime adds
 * only how a character leaves the machine (ExOS's console line, the PROM,
 * write(1)) on top of vformat().
 *
 * Freestanding: built with -ffreestanding -fno-tree-loop-distribute-patterns
 * (scripts/build-guest.mjs) so gcc does not turn these loops into calls to
 * themselves. 32-bit only: no 64-bit division on the R3000 without libgcc.
 */
#ifndef EXOS_LIBC_H
#define EXOS_LIBC_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* ---- Strings (string.c). ---- */

void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strcpy(char *dst, const char *src);
/* Parses an unsigned number in `base` (0: 0x prefix means 16, else 10); sets *end if given. */
uint32_t strtoul(const char *s, char **end, int base);
/* A decimal number with an optional '-'. */
int atoi(const char *s);

/* Folds n bytes into a 32-bit FNV-1a hash h; start with FNV_INIT. */
uint32_t fnv1a(uint32_t h, const void *buf, uint32_t n);
#define FNV_INIT	0x811c9dc5u

/* ---- Formatted output (format.c). ---- */

/* Where vformat sends each character; `arg` is the caller's. */
typedef void libc_putc_t(void *arg, char c);

/*
 * Formats fmt with ap, one character at a time through putc: %d %u %x %p
 * %s %c %%, the flags '0' (pad with zeros) and '-' (pad on the right) and
 * a width; "(null)" for a null %s. Returns the number of characters.
 */
int vformat(libc_putc_t *putc, void *arg, const char *fmt, va_list ap);
/* vformat into buf (at most size-1 characters and a NUL); returns the full length. */
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* vprintf is each runtime's own (its output); printf calls it. */
int vprintf(const char *fmt, va_list ap);
int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
