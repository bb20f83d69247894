/*
 * attacker-peer.c: what the fuzzer (attacker-fuzz.c) does to and with
 * other environments, and the PCT server it calls.
 *
 * peer_call, one of the fuzzer's random calls, does one of:
 *   - a directed yield (yield_to) to a random environment id;
 *   - a protected control transfer, pct_sync or pct_async (attacker-pct.S),
 *     to a random environment id: only `attacker server` takes calls, the
 *     rest have no protected entry and the kernel must refuse (E_Inval);
 *   - swaps its packet filter: removes the one it has and inserts another
 *     on ethertype PEER_ETHERTYPE and its own environment id in the first
 *     payload halfword, with a random ASH: a hostile one from
 *     ash-rogue-ash.S (one that loops, stores to the kernel, calls cputs,
 *     or stores to an unmapped address), a well-behaved one (peer_ash_ok:
 *     counts the frame's bytes in our memory and lets it go to the ring),
 *     or none. The test injects such frames at random times; the kernel
 *     must abort each hostile ASH, run each well-behaved one to its end,
 *     and put the frame in the ring either way.
 *   - shares a frame, as a library OS would hand a key to a peer: it
 *     allocates one, grants a fresh random key read-write on it, and
 *     offers (frame, key) to the PCT server in a pct_sync's registers; the
 *     server answers with the offer another environment made before, and
 *     this one binds that frame writable with that key (the kernel checks
 *     the grant; it may have been freed, revoked or rekeyed since) and
 *     stores its tag in its slot of the page (attacker-share.c). It keeps
 *     the binding until its next share, and stores through it once more
 *     then: if the owner freed the frame or lost it meanwhile, the kernel
 *     must have taken the binding away (the store faults), else the store
 *     lands in someone else's page and its owner's check finds it. Before
 *     each share it checks its own shared frames: every word zero or the
 *     tag of a holder of the key it gave out. A fuzzer keeps SHARED_MAX
 *     frames offered, freeing the oldest.
 * The ring is drained now and then (frames in it are only counted).
 *
 * `attacker server <quiet>`: a PCT server (pct.h) that answers every call
 * (an offer, a3 = SHARE_MAGIC, with the last offer from someone else;
 * anything else with a0 inverted) and yields in between; after <quiet> yields in a row with no call it
 * prints how many calls came and exits.
 */
#include "attacker.h"
#include "net.h"
#include "pct.h"

#define PEER_ETHERTYPE	0x88b5
#define PEER_IDS	16	/* ids drawn: 1..PEER_IDS (0 and bad ids too, now and then) */

uint32_t rogue_ash_loop(uint8_t *frame, uint32_t len);
uint32_t rogue_ash_kwrite(uint8_t *frame, uint32_t len);
uint32_t rogue_ash_syscall(uint8_t *frame, uint32_t len);
uint32_t rogue_ash_wild(uint8_t *frame, uint32_t len);
int peer_pct(uint32_t call, uint32_t target);

#define SHARED_MAX	4

uint32_t peer_server;
/* Our shared frames, oldest first, and the key each was offered under. */
static uint32_t shared[SHARED_MAX], shared_key[SHARED_MAX][2], nshared;
/* A peer's frame and key still bound at SHARE_VA (holding: 1) since our last share. */
static uint32_t held[3], holding;

/* Written by the ASHs of ash-rogue-ash.S: how many times one started. */
volatile uint32_t rogue_ash_runs;

/* Written by peer_ash_ok: the frames and bytes it saw. */
static volatile uint32_t ok_ash_runs, ok_ash_bytes;

/* A well-behaved ASH: a leaf (no stack), ordinary stores to our memory, 0: the frame goes on to the ring. */
static uint32_t peer_ash_ok(uint8_t *frame, uint32_t len)
{
	(void)frame;
	ok_ash_runs++;
	ok_ash_bytes += len;
	return 0;
}

#define ASH_CHOICES	7
static net_ash_t *const ashes[ASH_CHOICES] = {
	rogue_ash_loop, rogue_ash_kwrite, rogue_ash_syscall, rogue_ash_wild, peer_ash_ok, peer_ash_ok, 0,
};
static struct ring ring;
static struct dpf_filter filter;	/* static: no stack for DPF_FILTER_ATOMS atoms */
static int has_ring, filter_id = -1;
struct peer_stats peer_stats;

/* A random environment id: mostly 1..PEER_IDS, sometimes 0 or nonsense. */
static uint32_t peer_id(uint32_t r)
{
	switch (r % 16) {
	case 0: return 0;
	case 1: return r;
	default: return 1 + (r >> 4) % PEER_IDS;
	}
}

/* Removes our filter and inserts one with a random ASH (or none). */
static void swap_filter(uint32_t r)
{
	int id;

	if (!has_ring) {
		if (ring_create(&ring, 1, RING_SLOT_MIN * 2) < 0)
			return;
		has_ring = 1;
	}
	peer_stats.received += ring_waiting(&ring);
	ring_flush(&ring);
	if (filter_id >= 0 && dpf_remove(filter_id) == 0)
		filter_id = -1;
	if (filter_id >= 0)
		return;
	dpf_init(&filter);
	dpf_cmp(&filter, 12, 2, 0xffff, PEER_ETHERTYPE);
	dpf_cmp(&filter, 14, 2, 0xffff, (uint32_t)exos_envid & 0xffff);
	id = dpf_insert(&filter, ring.id, ashes[(r >> 8) % ASH_CHOICES]);
	if (id >= 0) {
		filter_id = id;
		peer_stats.filters++;
	}
}

/* Checks our shared frame i (attacker-share.c); a frame no longer ours is not counted. */
static void check_own(uint32_t i)
{
	int bad = share_check("fuzz", shared[i], shared_key[i][0], shared_key[i][1], &peer_stats.writers);

	if (bad < 0)
		return;
	peer_stats.checks++;
	peer_stats.breaks += (uint32_t)bad;
}

/* One more store through the peer's frame bound since our last share, then the binding dropped. */
static void let_go_held(void)
{
	if (!holding)
		return;
	if (share_store(held[0], held[1], held[2]))
		peer_stats.restored++;
	else
		peer_stats.faulted++;
	share_drop();
	holding = 0;
}

/* Grants a fresh key on a new frame, swaps (frame, key) with a peer through the server, binds theirs and stores our tag in it. */
static void share(uint32_t r)
{
	uint32_t i, msg[4], lo = r * 2654435761u, hi = ~r ^ 0x9e3779b9u;
	int f;

	if (!peer_server)
		return;
	let_go_held();
	for (i = 0; i < nshared; i++)
		check_own(i);
	if (nshared == SHARED_MAX) {
		sys_frame_free(shared[0]);
		memmove(shared, shared + 1, sizeof shared[0] * (SHARED_MAX - 1));
		memmove(shared_key, shared_key + 1, sizeof shared_key[0] * (SHARED_MAX - 1));
		nshared--;
	}
	f = sys_frame_alloc(-1, exos_key.lo, exos_key.hi);
	if (f < 0)
		return;
	shared[nshared] = (uint32_t)f;
	shared_key[nshared][0] = lo, shared_key[nshared][1] = hi;
	nshared++;
	if (sys_frame_grant((uint32_t)f, RIGHTS_ReadWrite, lo, hi) < 0)
		return;
	msg[0] = (uint32_t)f, msg[1] = lo, msg[2] = hi, msg[3] = SHARE_MAGIC;
	if (peer_offer(msg, peer_server) != 0)
		return;
	peer_stats.offered++;
	if (msg[3] == 0 || msg[3] == (uint32_t)exos_envid)
		return;
	peer_stats.taken++;
	switch (share_take(msg[0], msg[1], msg[2])) {
	case -1:
		return;
	case 1:
		peer_stats.stored++;
		/* fall through */
	default:
		peer_stats.mapped++;
		held[0] = msg[0], held[1] = msg[1], held[2] = msg[2];
		holding = 1;
	}
}

void peer_call(uint32_t r)
{
	uint32_t target = peer_id(r >> 3);
	int res;

	switch (r % 5) {
	case 0:
		res = sys_yield_to((int)target);
		peer_stats.yields[res == 0]++;
		break;
	case 1:
		res = peer_pct(SYS_PctSync, target);
		peer_stats.sync[res == 0]++;
		break;
	case 2:
		res = peer_pct(SYS_PctAsync, target);
		peer_stats.async[res == 0]++;
		break;
	case 3:
		share(r);
		break;
	default:
		swap_filter(r);
	}
}

/* Removes the filter (the ring stays: ExOS has no ring_destroy). */
void peer_done(void)
{
	if (filter_id >= 0)
		dpf_remove(filter_id);
	if (has_ring)
		peer_stats.received += ring_waiting(&ring);
	let_go_held();
	while (nshared) {
		check_own(--nshared);
		sys_frame_free(shared[nshared]);
	}
	printf("fuzz: shared: %u frames offered, %u peers' frames received, %u bound writable with their key, "
	       "%u tags stored through them, %u more through kept bindings (%u faulted)\n",
	       peer_stats.offered, peer_stats.taken, peer_stats.mapped, peer_stats.stored, peer_stats.restored, peer_stats.faulted);
	printf("fuzz: %u checks of our shared frames, %u peers' tags found, %u integrity breaks\n",
	       peer_stats.checks, peer_stats.writers, peer_stats.breaks);
	printf("fuzz: peers: yield_to %u/%u, pct_sync %u/%u, pct_async %u/%u accepted; "
	       "%u filters with ASHs, %u hostile ASH runs, %u well-behaved (%u bytes), %u frames in the ring\n",
	       peer_stats.yields[1], peer_stats.yields[0] + peer_stats.yields[1],
	       peer_stats.sync[1], peer_stats.sync[0] + peer_stats.sync[1],
	       peer_stats.async[1], peer_stats.async[0] + peer_stats.async[1],
	       peer_stats.filters, rogue_ash_runs, ok_ash_runs, ok_ash_bytes, peer_stats.received);
}

static volatile uint32_t served, quiet_limit;

/* The last frame offered: frame, key lo, key hi, who offered it (0: none yet). */
static uint32_t offer[4];

static void answer(struct exos_pct_msg *m)
{
	uint32_t i, mine[4];

	served++;
	if (PCT_ARG(m, 3) != SHARE_MAGIC) {
		PCT_ARG(m, 0) = ~PCT_ARG(m, 0);
		return;
	}
	for (i = 0; i < 3; i++)
		mine[i] = PCT_ARG(m, i);
	mine[3] = PCT_CALLER(m);
	for (i = 0; i < 4; i++)
		PCT_ARG(m, i) = offer[3] == mine[3] ? 0 : offer[i];
	for (i = 0; i < 4; i++)
		offer[i] = mine[i];
}

/* Between calls: yield until <quiet> yields in a row bring none. */
static void serve(void)
{
	uint32_t quiet = 0, seen = served;

	while (quiet < quiet_limit) {
		sys_yield();
		if (served != seen) {
			seen = served;
			quiet = 0;
		} else
			quiet++;
	}
	sys_set_upcall(UPCALL_Pct, 0);
	printf("server: answered %u calls (%u sync, %u async), %u replies refused\n",
	       served, exos_pct_stats.sync, exos_pct_stats.async, exos_pct_stats.refused);
	printf("server ok\n");
	exit(0);
}

int server(uint32_t quiet)
{
	int r;

	quiet_limit = quiet;
	r = exos_pct_init(answer, serve);
	if (r < 0) {
		printf("server: no protected entry: %s\n", exos_errname(r));
		return 1;
	}
	printf("server: environment %d takes calls\n", exos_envid);
	serve();
	return 0;
}
