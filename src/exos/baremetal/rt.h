/*
 * rt.h: the bare-metal runtime: console output through the PROM and
 * program exit, over the shared C library (src/exos/libc/libc.h: the
 * string functions gcc may call, snprintf).
 */
#ifndef EXOS_BAREMETAL_RT_H
#define EXOS_BAREMETAL_RT_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include "libc.h"

/*
 * printf, vprintf (rt.c): format into a line buffer and print it with the
 * PROM printf. Output longer than 255 characters per call is cut.
 */

/* Halts the machine through the PROM; called by crt0 when main returns. */
void rt_exit(int status) __attribute__((noreturn));

#endif
