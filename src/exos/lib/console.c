/*
 * console.c: the environment's console: a line buffer written with cputs
 * when a line ends, when it is full and on exit. The buffer is in .bss,
 * which the kernel maps guaranteed, so cputs always finds it mapped and
 * exception handlers may print.
 */
#include "exos.h"

#define LINE_MAX 256

static char line[LINE_MAX];
static uint32_t len;

void console_flush(void)
{
	if (len)
		sys_cputs(line, len);
	len = 0;
}

int putchar(int c)
{
	line[len++] = (char)c;
	if (c == '\n' || len == LINE_MAX)
		console_flush();
	return (unsigned char)c;
}

int puts(const char *s)
{
	while (*s)
		putchar(*s++);
	putchar('\n');
	return 0;
}

void exit(int status)
{
	console_flush();
	sys_exit(status);
}
