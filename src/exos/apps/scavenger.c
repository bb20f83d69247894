/*
 * scavenger: looks for other environments' data in the frames they gave up
 * (docs/protection.md, "Frames are handed out zeroed").
 *
 *   scavenger fill <tag> <pages> exit|free|hold
 *       a victim: fills <pages> fresh heap pages with its pattern (every
 *       word 0x5ec<tag><index>, tag 1..15), then exits (destroying the
 *       environment frees its frames), or frees the pages (vm_unmap:
 *       frame_free) and yields forever, or holds them and yields forever
 *       without touching them again (revocation's abort protocol can take
 *       them: this program has no revoke handler).
 *   scavenger scan
 *       allocates every free frame by name, one at a time, binds it
 *       read-only, counts the words that are not zero and those that
 *       carry a victim's pattern, and frees it again.
 *
 * The scan prints `scavenger: scanned <n> free frames: <z> words not
 * zero, <v> of victims' data` and then `scavenger: every free frame reads
 * zero` (exit 0) or `scavenger: LEAK ...` (exit 1).
 */
#include "exos.h"

#define PATTERN		0x5ec00000u
#define PATTERN_MASK	0xfff00000u
#define TAGS		16
#define SCAN_VA		0x20000000u
#define WORDS		(PAGE_SIZE / 4)

/* The word victim `tag` writes at word i of its pages. */
static uint32_t pattern(uint32_t tag, uint32_t i)
{
	return PATTERN | (tag & 0xf) << 16 | (i & 0xffff);
}

static int fill(uint32_t tag, uint32_t pages, const char *then)
{
	uint32_t *base = page_alloc(pages), i;

	if (tag == 0 || tag >= TAGS || !base ||
	    (strcmp(then, "exit") && strcmp(then, "free") && strcmp(then, "hold"))) {
		printf("scavenger: fill needs a tag 1..15, %u pages of heap and exit, free or hold\n", pages);
		return 2;
	}
	for (i = 0; i < pages * WORDS; i++)
		base[i] = pattern(tag, i);
	printf("scavenger: victim %u filled %u pages, then %s\n", tag, pages, then);
	console_flush();
	if (strcmp(then, "exit") == 0)
		return 0;
	if (strcmp(then, "free") == 0)
		for (i = 0; i < pages; i++)
			vm_unmap((uint32_t)base + i * PAGE_SIZE);
	for (;;)
		sys_yield();
}

/* Binds free frame f read-only at SCAN_VA and counts what it holds; returns 0, or -1 when it is not ours to scan. */
static int scan_frame(uint32_t f, uint32_t *nonzero, uint32_t *victim, uint32_t *by_tag)
{
	volatile const uint32_t *w = (volatile const uint32_t *)SCAN_VA;
	uint32_t i, v;

	if (sys_frame_alloc((int)f, exos_key.lo, exos_key.hi) != (int)f)
		return -1;
	if (sys_tlb_map(SCAN_VA, f << 12 | ENTRYLO_V, exos_key.lo, exos_key.hi) != 0) {
		sys_frame_free(f);
		return -1;
	}
	for (i = 0; i < WORDS; i++) {
		v = w[i];
		if (v == 0)
			continue;
		(*nonzero)++;
		if ((v & PATTERN_MASK) == PATTERN) {
			(*victim)++;
			by_tag[(v >> 16) & 0xf]++;
		}
	}
	sys_tlb_unmap(SCAN_VA);
	sys_frame_free(f);
	return 0;
}

static int scan(void)
{
	uint32_t f, frames = 0, nonzero = 0, victim = 0, by_tag[TAGS] = { 0 }, t;

	for (f = 0; f < exos_nframes; f++)
		if (FRAME_OWNER(f) == 0 && scan_frame(f, &nonzero, &victim, by_tag) == 0)
			frames++;
	printf("scavenger: scanned %u free frames: %u words not zero, %u of victims' data\n",
	       frames, nonzero, victim);
	if (nonzero == 0) {
		printf("scavenger: every free frame reads zero\n");
		return 0;
	}
	for (t = 1; t < TAGS; t++)
		if (by_tag[t])
			printf("scavenger: LEAK: %u words of victim %u\n", by_tag[t], t);
	printf("scavenger: LEAK: free frames hold data\n");
	return 1;
}

int main(int argc, char **argv)
{
	if (argc == 5 && strcmp(argv[1], "fill") == 0)
		return fill(strtoul(argv[2], 0, 0), strtoul(argv[3], 0, 0), argv[4]);
	if (argc == 2 && strcmp(argv[1], "scan") == 0)
		return scan();
	printf("usage: scavenger fill <tag> <pages> exit|free|hold | scavenger scan\n");
	return 2;
}
