/*
 * mono.c: bench.h for the monolithic kernel (src/mono).
 *
 * Two-party benchmarks run as `prog <n>`: the program makes two kernel
 * pipes (client to server, server to client) and a one-page System V
 * shared-memory segment, then forks; the child is the server. A pipe
 * read returning 0 (the client closed its write end) ends the server.
 * VM: the region is a shared-memory segment attached twice (the second
 * attachment is the alias); protection is mprotect, and a write fault is
 * a SIGSEGV whose handler may step over the store by moving the EPC saved
 * in the signal frame.
 */
#include "../mono/user/user.h"
#include "bench.h"

void bench_mark(void)
{
	null();
}

/* `prog <n>`: pipes and a shared page, then fork (the child serves). */
int bench_pair(int argc, char **argv, struct bench_chan *ch)
{
	int c2s[2], s2c[2], id, pid, parent = getpid();

	if (argc != 2) {
		printf("usage: %s <n>\n", argv[0]);
		return -1;
	}
	ch->n = (uint32_t)atoi(argv[1]);
	if (pipe(c2s) < 0 || pipe(s2c) < 0 || (id = shmget(0, PAGE_SIZE)) < 0 ||
	    (int)(ch->shm = shmat(id, 0)) < 0 || (pid = fork()) < 0) {
		printf("%s: cannot set up the channel\n", argv[0]);
		return -1;
	}
	if (pid == 0) {
		close(c2s[1]), close(s2c[0]);
		ch->rfd = c2s[0], ch->wfd = s2c[1], ch->peer = parent;
		return BENCH_SERVER;
	}
	close(c2s[0]), close(s2c[1]);
	ch->rfd = s2c[0], ch->wfd = c2s[1], ch->peer = pid;
	return BENCH_CLIENT;
}

int bench_read(struct bench_chan *ch, void *buf, uint32_t n)
{
	uint32_t got = 0;
	int r;

	while (got < n) {
		if ((r = read(ch->rfd, (uint8_t *)buf + got, n - got)) <= 0)
			return r;
		got += (uint32_t)r;
	}
	return (int)n;
}

int bench_write(struct bench_chan *ch, const void *buf, uint32_t n)
{
	return write(ch->wfd, buf, n);
}

void bench_yield(struct bench_chan *ch)
{
	(void)ch;
	yield();
}

void bench_finish(struct bench_chan *ch, int role)
{
	int status;

	if (role != BENCH_CLIENT)
		return;
	close(ch->wfd);
	ch->shm[BENCH_DONE_WORD] = 1;
	wait(&status);
}

/* The segment attached twice: at the first free place, then right after it. */
uint32_t bench_vm_region(uint32_t npages, uint32_t *alias)
{
	int id = shmget(0, npages * PAGE_SIZE);
	int va, al;

	if (id < 0 || (va = (int)shmat(id, 0)) < 0 || (al = (int)shmat(id, 0)) < 0)
		return 0;
	*alias = (uint32_t)al;
	return (uint32_t)va;
}

int bench_prot(uint32_t va, uint32_t npages)
{
	return mprotect((void *)va, npages * PAGE_SIZE, PROT_READ);
}

int bench_unprot(uint32_t va, uint32_t npages)
{
	return mprotect((void *)va, npages * PAGE_SIZE, PROT_READ | PROT_WRITE);
}

/* Unix gives a program no way to ask whether a page is dirty. */
int bench_dirty(uint32_t va)
{
	(void)va;
	return -1;
}

static void (*fault_fn)(struct bench_fault *);

/* The SIGSEGV handler: hands the fault to the benchmark, then steps over the store if asked. */
static void on_segv(int sig, uint32_t addr, struct sigframe *fr)
{
	struct bench_fault f = { addr, 0, 0 };

	(void)sig;
	f.in_delay_slot = (fr->cause & 0x80000000u) != 0;	/* Cause.BD */
	fault_fn(&f);
	if (f.skip)
		fr->epc += 4;
}

void bench_on_fault(void (*fn)(struct bench_fault *f))
{
	fault_fn = fn;
	signal(SIGSEGV, fn ? on_segv : (sighandler_t)SIG_DFL);
}

int bench_udp_open(uint32_t ip, uint32_t port)
{
	int fd, r;

	netconfig(ip);
	if ((fd = socket()) < 0)
		return fd;
	if ((r = bind(fd, port)) < 0) {
		close(fd);
		return r;
	}
	return fd;
}

int bench_udp_send(int sock, uint32_t ip, uint32_t port, const void *buf, uint32_t n)
{
	struct sockaddr_in to = { ip, port };

	return sendto(sock, buf, n, &to);
}

int bench_udp_recv(int sock, void *buf, uint32_t n, uint32_t *ip, uint32_t *port)
{
	struct sockaddr_in from = { 0, 0 };
	int r = recvfrom(sock, buf, n, &from);

	*ip = from.ip, *port = from.port;
	return r;
}

/* The benchmark's entry point (pipe.c, shm.c, vm.c). */
int bench_main(int argc, char **argv);

int main(int argc, char **argv)
{
	return bench_main(argc, argv);
}
