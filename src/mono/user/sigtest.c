/*
 * sigtest: signals, mprotect and SIGSEGV handlers (what Appel and Li's
 * primitives need).
 *
 *  - a store to a read-only page calls the SIGSEGV handler with the fault
 *    address and a frame holding the faulting EPC; the handler makes the
 *    page writable and returns; the store is then done (trap + unprot);
 *  - a load from a PROT_NONE page, likewise;
 *  - ten protected pages, each touched: ten faults (protN, trap, unprot);
 *  - without a handler a fault ends the process with 128 + signal: a null
 *    pointer and a store to text are SIGSEGV (139), a load from kseg0 is
 *    SIGBUS (138);
 *  - kill: SIGTERM by default ends a process (143), a handler for SIGUSR1
 *    runs and the process goes on, an ignored SIGTERM changes nothing;
 *  - errors: misaligned mprotect (-22), unmapped (-12), a handler for
 *    SIGKILL (-22).
 */
#include "user.h"

static volatile uint32_t faults, last_addr, last_sig, frame_ok, got_usr1;
static uint8_t *region;		/* 12 pages, page aligned */

static void on_segv(int sig, uint32_t addr, struct sigframe *f)
{
	faults++;
	last_sig = (uint32_t)sig;
	last_addr = addr;
	frame_ok = f->sig == (uint32_t)sig && f->addr == addr && f->epc >= 0x00400000u && f->epc < 0x00410000u;
	mprotect((void *)(addr & ~(PAGE_SIZE - 1)), PAGE_SIZE, PROT_READ | PROT_WRITE);
}

static void on_usr1(int sig, uint32_t addr, struct sigframe *f)
{
	(void)addr, (void)f;
	got_usr1 = (uint32_t)sig;
}

/* Runs fn in a child and returns its exit status. */
static int in_child(void (*fn)(void))
{
	int pid = fork(), status = -1;

	if (pid == 0) {
		fn();
		exit(0);
	}
	wait(&status);
	return status;
}

static void null_deref(void) { printf("%u\n", *(volatile uint32_t *)0); }
static void store_text(void) { *(volatile uint32_t *)(uint32_t)in_child = 0; }
static void load_kseg0(void) { printf("%u\n", *(volatile uint32_t *)0x80030000u); }

static void protection(void)
{
	volatile uint32_t *w = (volatile uint32_t *)(region + 8);
	int i;

	signal(SIGSEGV, on_segv);
	w[0] = 1;
	mprotect(region, PAGE_SIZE, PROT_READ);
	w[0] = 2;
	printf("store to read-only page: faults %u, sig %u, addr ok %s, frame ok %s, value %u\n",
	       faults, last_sig, last_addr == (uint32_t)w ? "yes" : "no", frame_ok ? "yes" : "no", w[0]);
	mprotect(region, PAGE_SIZE, PROT_NONE);
	printf("load from PROT_NONE page: value %u, faults %u\n", w[0], faults);
	mprotect(region + PAGE_SIZE, 10 * PAGE_SIZE, PROT_READ);
	for (i = 1; i <= 10; i++)
		region[i * PAGE_SIZE + 4] = (uint8_t)i;
	printf("ten protected pages touched: faults %u, last page %u\n", faults,
	       (last_addr - (uint32_t)region) / PAGE_SIZE);
	signal(SIGSEGV, (sighandler_t)SIG_DFL);
}

static void usr1_child(void)
{
	signal(SIGUSR1, on_usr1);
	while (!got_usr1)
		yield();
	exit((int)got_usr1);
}

static void spin_forever(void)
{
	for (;;)
		yield();
}

static void ignore_child(void)
{
	int i;

	signal(SIGTERM, (sighandler_t)SIG_IGN);
	for (i = 0; i < 50; i++)
		yield();
	exit(7);
}

/* Forks fn, lets it run a little, sends sig, and returns its exit status. */
static int kill_child(void (*fn)(void), int sig)
{
	int pid = fork(), status = -1, i;

	if (pid == 0) {
		fn();
		exit(0);
	}
	for (i = 0; i < 5; i++)
		yield();
	kill(pid, sig);
	wait(&status);
	return status;
}

int main(void)
{
	uint32_t brk = (uint32_t)sbrk(13 * PAGE_SIZE);

	region = (uint8_t *)((brk + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1));
	protection();
	printf("null pointer: status %d\n", in_child(null_deref));
	printf("store to text: status %d\n", in_child(store_text));
	printf("load from kseg0: status %d\n", in_child(load_kseg0));
	printf("SIGTERM, default: status %d\n", kill_child(spin_forever, SIGTERM));
	printf("SIGUSR1, handled: status %d\n", kill_child(usr1_child, SIGUSR1));
	printf("SIGTERM, ignored: status %d\n", kill_child(ignore_child, SIGTERM));
	printf("kill of no process: %d\n", kill(999, SIGTERM));
	printf("mprotect misaligned: %d\n", mprotect(region + 1, PAGE_SIZE, PROT_READ));
	printf("mprotect unmapped: %d\n", mprotect((void *)0x20000000, PAGE_SIZE, PROT_READ));
	printf("handler for SIGKILL: %d\n", (int)signal(SIGKILL, on_usr1));
	return 0;
}
