/*
 * fs.c: the file table: the user programs linked into the kernel image by
 * initfs.S, looked up by name (the kernel has no disk).
 */
#include "defs.h"

struct fsent {
	const char *name;
	const uint8_t *start, *end;
};

extern const struct fsent fs_table[];	/* initfs.S; ends with a 0 name */

/* Finds program name; sets *data and *size and returns 0, or -ENOENT. */
int fs_lookup(const char *name, const uint8_t **data, uint32_t *size)
{
	const struct fsent *e;

	for (e = fs_table; e->name; e++)
		if (strcmp(e->name, name) == 0) {
			*data = e->start;
			*size = (uint32_t)(e->end - e->start);
			return 0;
		}
	return -ENOENT;
}
