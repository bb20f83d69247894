/*
 * flood: a program that prints without end, or at least more than the
 * kernel keeps of a console (src/exokernel/limits.ts, CONSOLE_KEEP).
 *
 *   flood <kib>    <kib> KiB of console output, one cputs of 1 KiB each:
 *                  KiB k is "flood <k> " padded with '.' to 1,023 bytes
 *                  and a newline; then exit 0 (1 if a cputs was refused).
 *
 * Kept whole, the kernel's copy of the text grew until it was V8's
 * longest string and the append threw, ending the host's session.
 */
#include "exos.h"

int main(int argc, char **argv)
{
	static char kib[1024];
	uint32_t n, k, i;
	int len;

	if (argc != 2) {
		printf("usage: flood <kib>\n");
		return 2;
	}
	n = strtoul(argv[1], 0, 0);
	for (k = 0; k < n; k++) {
		len = snprintf(kib, sizeof kib, "flood %u ", k);
		for (i = (uint32_t)len; i < sizeof kib - 1; i++)
			kib[i] = '.';
		kib[sizeof kib - 1] = '\n';
		if (sys_cputs(kib, sizeof kib) != (int)sizeof kib)
			return 1;
	}
	return 0;
}
