/*
 * share: shared memory between two environments through a granted
 * capability, and nothing else (Aegis paper, sec. 5.1: "applications can
 * share by passing a capability, without the kernel").
 *
 *   share writer <frame> <keyhex>   allocates frame <frame> by name with its
 *       own key, maps it, writes a message and its checksum, then grants a
 *       READ capability whose key is <keyhex> (up to 16 hex digits). The
 *       message is complete before the grant, so a reader that can map the
 *       frame can read it.
 *   share reader <frame> <keyhex>   maps the same frame read-only (no D)
 *       with that key, retrying with yield until the writer has granted it;
 *       prints the message; then tries to map it writable with the same key,
 *       which the kernel must refuse with E_Perm.
 *
 * Then the two say goodbye through the frame table, which both can read:
 * the reader allocates frame <frame>+1 ("done reading"), the writer waits
 * for that and exits (which frees <frame>), and the reader waits for
 * <frame> to be free before it exits. So neither loses the frame while
 * the other needs it. Frame <frame>+1 must be free, and both frames above
 * the ones lowest-free allocation hands out (say, 2000).
 */
#include "exos.h"

#define SHARE_VA	0x30000000u
#define MAGIC		0x52414853u	/* "SHAR" */
#define TEXT_MAX	64
#define TRIES		100000		/* yields before giving up on the other side */

struct message {
	uint32_t magic;		/* written last */
	uint32_t len;
	uint32_t sum;
	char text[TEXT_MAX];
};

/* Yields until the owner of `frame` is (want_free) or is not (!want_free) zero; 0 on success. */
static int wait_owner(uint32_t frame, int want_free)
{
	uint32_t t;

	for (t = 0; t < TRIES; t++) {
		if ((FRAME_OWNER(frame) == 0) == want_free)
			return 0;
		sys_yield();
	}
	return -1;
}

static int writer(uint32_t frame, const struct exos_key *key)
{
	volatile struct message *m = (volatile struct message *)SHARE_VA;
	char text[TEXT_MAX];
	uint32_t len, i;
	int r;

	r = sys_frame_alloc((int)frame, exos_key.lo, exos_key.hi);
	printf("writer: frame_alloc(%u): %s\n", frame, exos_errname(r));
	if (r < 0)
		return 1;
	r = vm_map(SHARE_VA, frame << 12 | ENTRYLO_D | ENTRYLO_V, 0);
	printf("writer: map it writable with my key: %s\n", exos_errname(r));
	if (r < 0)
		return 1;
	len = (uint32_t)snprintf(text, sizeof text, "a message through frame %u", frame);
	m->magic = 0;
	for (i = 0; i <= len; i++)
		m->text[i] = text[i];
	m->len = len;
	m->sum = fnv1a(FNV_INIT, text, len);
	m->magic = MAGIC;
	printf("writer: wrote \"%s\" (%u bytes, checksum 0x%08x)\n", text, len, m->sum);
	r = sys_frame_grant(frame, RIGHTS_Read, key->lo, key->hi);
	printf("writer: grant read to key 0x%08x%08x: %s\n", key->hi, key->lo, exos_errname(r));
	if (r < 0)
		return 1;
	if (wait_owner(frame + 1, 0) < 0) {
		printf("writer: no word from the reader\n");
		return 1;
	}
	printf("writer: the reader is done\n");
	return 0;
}

/* Maps the frame read-only with the granted key, yielding until the writer has granted it. */
static int map_shared(uint32_t frame, const struct exos_key *key)
{
	uint32_t t;
	int r = E_Cap;

	for (t = 0; t < TRIES && r < 0; t++) {
		r = vm_map(SHARE_VA, frame << 12 | ENTRYLO_V, key);
		if (r < 0)
			sys_yield();
	}
	return r;
}

static int reader(uint32_t frame, const struct exos_key *key)
{
	volatile struct message *m = (volatile struct message *)SHARE_VA;
	char text[TEXT_MAX];
	uint32_t len, i;
	int r, bad = 0;

	r = map_shared(frame, key);
	printf("reader: map frame %u read-only with key 0x%08x%08x: %s\n",
	       frame, key->hi, key->lo, exos_errname(r));
	if (r < 0)
		return 1;
	len = m->len;
	if (m->magic != MAGIC || len >= TEXT_MAX) {
		printf("reader: no message in frame %u\n", frame);
		return 1;
	}
	for (i = 0; i <= len; i++)
		text[i] = m->text[i];
	text[len] = 0;
	bad = fnv1a(FNV_INIT, text, len) != m->sum;
	printf("reader: read \"%s\" (%u bytes, checksum 0x%08x %s)\n", text, len, m->sum,
	       bad ? "BAD" : "ok");
	r = sys_tlb_map(SHARE_VA, frame << 12 | ENTRYLO_D | ENTRYLO_V, key->lo, key->hi);
	printf("reader: map it writable with the read key: %s (%s)\n", exos_errname(r),
	       r == E_Perm ? "refused, as it must be" : "WRONG: expected E_Perm");
	bad |= r != E_Perm;
	r = sys_frame_alloc((int)(frame + 1), exos_key.lo, exos_key.hi);
	printf("reader: tell the writer with frame_alloc(%u): %s\n", frame + 1, exos_errname(r));
	if (r < 0 || wait_owner(frame, 1) < 0) {
		printf("reader: the writer did not finish\n");
		return 1;
	}
	printf("reader: the writer is gone\n");
	return bad;
}

int main(int argc, char **argv)
{
	struct exos_key key;
	uint32_t frame;
	int r;

	if (argc != 4 || exos_parse_key(argv[3], &key) < 0 ||
	    (strcmp(argv[1], "writer") && strcmp(argv[1], "reader"))) {
		printf("usage: share writer|reader <frame> <keyhex>\n");
		return 2;
	}
	frame = strtoul(argv[2], 0, 0);
	if (frame + 1 >= exos_nframes) {
		printf("share: no frame %u in this machine\n", frame + 1);
		return 2;
	}
	r = argv[1][0] == 'w' ? writer(frame, &key) : reader(frame, &key);
	printf("share %s %s\n", argv[1], r ? "BAD" : "ok");
	return r;
}
