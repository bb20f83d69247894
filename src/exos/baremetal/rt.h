/*
 * rt.h: the bare-metal runtime: console output through the PROM, the
 * freestanding string functions gcc may call, and program exit.
 */
#ifndef EXOS_BAREMETAL_RT_H
#define EXOS_BAREMETAL_RT_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/*
 * printf: formats into a line buffer and prints it with the PROM printf.
 * Understands %d %u %x %s %c %% with an optional '0' flag and width.
 * Output longer than 255 characters per call is cut. Returns the length.
 */
int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int snprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);

/* Halts the machine through the PROM; called by crt0 when main returns. */
void rt_exit(int status) __attribute__((noreturn));

void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);

#endif
