/*
 * exos.c: bench.h for ExOS on the exokernel (src/exos/lib).
 *
 * Two-party benchmarks run in two environments started by the scenario:
 *   prog server <client envid> <frame> <keyhex> <n>
 *   prog client <server envid> <frame> <keyhex> <n>
 * The server allocates <frame>, maps it and grants it to the client by
 * capability (src/exos/apps/ipc.h); the pipe is a library pipe: two rings
 * in that frame, a reader of an empty ring (or writer of a full one)
 * yielding to the peer (directed yield): src/exos/lib/shmring.h, as ipc-pipe. The shared page
 * is the frame. bench_finish sets the done word and yields to the server.
 * VM: frames mapped through ExOS's page table (vm_map), protection by
 * remapping without D, write faults through the Mod handler.
 */
#include "../exos/apps/ipc.h"
#include "bench.h"

#define REGION		0x40000000u
#define ALIAS		0x40800000u

struct rings {
	struct shmring c2s, s2c;
};

static struct shmring *rd, *wr;
static int done_side;			/* the server: reads end at the done word */

void bench_mark(void)
{
	sys_null();
}

int bench_pair(int argc, char **argv, struct bench_chan *ch)
{
	struct exos_key key;
	struct rings *r;
	uint32_t frame;
	int srv;

	if (argc != 6 || exos_parse_key(argv[4], &key) < 0 ||
	    (strcmp(argv[1], "server") && strcmp(argv[1], "client"))) {
		printf("usage: %s server|client <peer envid> <frame> <keyhex> <n>\n", argv[0]);
		return -1;
	}
	srv = argv[1][0] == 's';
	ch->peer = (int)strtoul(argv[2], 0, 0);
	frame = strtoul(argv[3], 0, 0);
	ch->n = strtoul(argv[5], 0, 0);
	ch->shm = srv ? ipc_server_frame(frame, &key) : ipc_client_frame(frame, &key);
	if (!ch->shm)
		return -1;
	r = (struct rings *)ch->shm;
	rd = srv ? &r->c2s : &r->s2c;
	wr = srv ? &r->s2c : &r->c2s;
	done_side = srv;
	return srv ? BENCH_SERVER : BENCH_CLIENT;
}

int bench_read(struct bench_chan *ch, void *buf, uint32_t n)
{
	/* The server's reads end at the done word. */
	return shmring_read(rd, buf, n, ch->peer, done_side ? &ch->shm[BENCH_DONE_WORD] : 0);
}

int bench_write(struct bench_chan *ch, const void *buf, uint32_t n)
{
	return shmring_write(wr, buf, n, ch->peer);
}

void bench_yield(struct bench_chan *ch)
{
	shmring_wait(ch->peer);
}

void bench_finish(struct bench_chan *ch, int role)
{
	if (role != BENCH_CLIENT)
		return;
	ch->shm[BENCH_DONE_WORD] = 1;
	shmring_wait(ch->peer);
}

static uint32_t vm_pages;

uint32_t bench_vm_region(uint32_t npages, uint32_t *alias)
{
	uint32_t i;
	int f;

	for (i = 0; i < npages; i++) {
		f = sys_frame_alloc(-1, exos_key.lo, exos_key.hi);
		if (f < 0)
			return 0;
		if (vm_map(REGION + i * PAGE_SIZE, (uint32_t)f << 12 | ENTRYLO_D | ENTRYLO_V | PTE_OWN, 0) < 0 ||
		    vm_map(ALIAS + i * PAGE_SIZE, (uint32_t)f << 12 | ENTRYLO_D | ENTRYLO_V, 0) < 0)
			return 0;
		memset((void *)(REGION + i * PAGE_SIZE), 0, PAGE_SIZE);
	}
	vm_pages = npages;
	*alias = ALIAS;
	return REGION;
}

int bench_prot(uint32_t va, uint32_t npages)
{
	uint32_t i;
	int r = 0;

	for (i = 0; i < npages && r >= 0; i++)
		r = vm_map(va + i * PAGE_SIZE, vm_lookup(va + i * PAGE_SIZE) & ~ENTRYLO_D, 0);
	return r < 0 ? r : 0;
}

int bench_unprot(uint32_t va, uint32_t npages)
{
	uint32_t i;
	int r = 0;

	for (i = 0; i < npages && r >= 0; i++)
		r = vm_map(va + i * PAGE_SIZE, vm_lookup(va + i * PAGE_SIZE) | ENTRYLO_D, 0);
	return r < 0 ? r : 0;
}

int bench_dirty(uint32_t va)
{
	return (vm_lookup(va) & ENTRYLO_D) != 0;
}

static void (*fault_fn)(struct bench_fault *);

/* The Mod handler: faults in the region go to the benchmark, others to ExOS's own. */
static void on_mod(struct exos_save *s, struct exos_trapframe *tf)
{
	struct bench_fault f = { s->badvaddr, (s->cause & CAUSE_BD) != 0, 0 };

	if (!fault_fn || s->badvaddr < REGION || s->badvaddr >= REGION + vm_pages * PAGE_SIZE) {
		vm_mod(s, tf);
		return;
	}
	fault_fn(&f);
	if (f.skip)
		s->epc += 4;
}

void bench_on_fault(void (*fn)(struct bench_fault *f))
{
	fault_fn = fn;
	exos_set_handler(EXC_Mod, on_mod);
}

int bench_main(int argc, char **argv);

int main(int argc, char **argv)
{
	return bench_main(argc, argv);
}
