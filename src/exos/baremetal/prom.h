/*
 * prom.h: the REX PROM callback vector, as the PROM passes it in a3.
 *
 * Offsets are from docs/reference/decstation.md ("Starting a program like the
 * PROM does"). Only what bare-metal programs use is declared here. The PROM
 * printf understands only %c %d %s %x without widths (GXemul's emulation
 * ignores them), so rt.c formats lines itself and prints them with "%s".
 */
#ifndef EXOS_BAREMETAL_PROM_H
#define EXOS_BAREMETAL_PROM_H

#include <stdint.h>

#define REX_PRINTF	0x30
#define REX_HALT	0x9c

/* The callback vector address from a3 at entry (saved by crt0.S). */
extern uint32_t rex_callbacks;
/* The magic from a2 at entry: 0x30464354 ("TCF0") from a REX PROM. */
extern uint32_t rex_magic;

/* Returns the function at byte offset off in the callback vector. */
static inline void *rex_entry(uint32_t off)
{
	return (void *)*(volatile uint32_t *)(rex_callbacks + off);
}

/* PROM printf; returns whatever the PROM returns. */
static inline int prom_printf(const char *fmt, const char *arg)
{
	int (*fn)(const char *, const char *) =
		(int (*)(const char *, const char *))rex_entry(REX_PRINTF);
	return fn(fmt, arg);
}

/* PROM halt; does not return. */
static inline void __attribute__((noreturn)) prom_halt(void)
{
	void (*fn)(void) = (void (*)(void))rex_entry(REX_HALT);
	fn();
	for (;;)
		;
}

#endif
