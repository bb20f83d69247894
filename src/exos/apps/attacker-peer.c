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
 *     payload halfword, with a random ASH from ash-rogue-ash.S (one that
 *     loops, stores to the kernel, calls cputs, or stores to an unmapped
 *     address) or none. The test injects such frames at random times; the
 *     kernel must abort each hostile ASH and put the frame in the ring.
 * The ring is drained now and then (frames in it are only counted).
 *
 * `attacker server <quiet>`: a PCT server (pct.h) that answers every call
 * and yields in between; after <quiet> yields in a row with no call it
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

/* Written by the ASHs of ash-rogue-ash.S: how many times one started. */
volatile uint32_t rogue_ash_runs;

static net_ash_t *const ashes[] = { rogue_ash_loop, rogue_ash_kwrite, rogue_ash_syscall, rogue_ash_wild, 0 };
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
	id = dpf_insert(&filter, ring.id, ashes[(r >> 8) % 5]);
	if (id >= 0) {
		filter_id = id;
		peer_stats.filters++;
	}
}

void peer_call(uint32_t r)
{
	uint32_t target = peer_id(r >> 3);
	int res;

	switch (r % 4) {
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
	printf("fuzz: peers: yield_to %u/%u, pct_sync %u/%u, pct_async %u/%u accepted; "
	       "%u filters with ASHs, %u ASH runs, %u frames in the ring\n",
	       peer_stats.yields[1], peer_stats.yields[0] + peer_stats.yields[1],
	       peer_stats.sync[1], peer_stats.sync[0] + peer_stats.sync[1],
	       peer_stats.async[1], peer_stats.async[0] + peer_stats.async[1],
	       peer_stats.filters, rogue_ash_runs, peer_stats.received);
}

static volatile uint32_t served, quiet_limit;

static void answer(struct exos_pct_msg *m)
{
	PCT_ARG(m, 0) = ~PCT_ARG(m, 0);
	served++;
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
