/*
 * ipc-pipe: a pipe on a frame shared by capability, two ring buffers with
 * head and tail (the "pipe" and "pipe'" columns of the Aegis paper's IPC
 * table).
 *
 *   ipc-pipe server <client envid> <frame> <keyhex> <n> [inline]
 *   ipc-pipe client <server envid> <frame> <keyhex> <n> [inline]
 *
 * Each round trip the client writes 4 bytes into the client-to-server
 * ring and reads 4 bytes back from the server-to-client ring; the server
 * reads 4 bytes and writes them back (an echo). When a ring is empty (or
 * full) the side waiting yields to the other (yield_to).
 *
 * Plain: both sides go through generic read(fd)/write(fd) calls, which
 * dispatch through a file table and an operations vector to the pipe's
 * own read and write functions, which copy byte by byte with wrap-around.
 * `inline` (pipe'): the read/write path inlined in the loop, one word
 * straight into and out of the ring (SHMRING_PUT/GET).
 *
 * Only the client times: sys_null right before its first round trip and
 * right after its last. It checks that every 4 bytes read back equal the
 * 4 written and prints `ipc-pipe: <n> iterations, result <checksum> ok`
 * (BAD on a mismatch); the checksum is an FNV-1a hash of the bytes read.
 */
#include "ipc.h"

struct pipeshm {
	struct shmring c2s, s2c;
	volatile uint32_t done;
};

static int peer;

/* ---- The plain pipe: a file table, an operations vector, byte copies (shmring.h). ---- */

struct file;
struct fileops {
	int (*read)(struct file *f, void *buf, uint32_t n);
	int (*write)(struct file *f, const void *buf, uint32_t n);
};
struct file {
	const struct fileops *ops;
	struct shmring *ring;
};

#define NFILES	4
static struct file files[NFILES];

static int pipe_read(struct file *f, void *buf, uint32_t n)
{
	return shmring_read(f->ring, buf, n, peer, 0);
}

static int pipe_write(struct file *f, const void *buf, uint32_t n)
{
	return shmring_write(f->ring, buf, n, peer);
}

static const struct fileops pipe_ops = { pipe_read, pipe_write };

__attribute__((noinline)) static int read(int fd, void *buf, uint32_t n)
{
	if (fd < 0 || fd >= NFILES || !files[fd].ops)
		return E_Inval;
	return files[fd].ops->read(&files[fd], buf, n);
}

__attribute__((noinline)) static int write(int fd, const void *buf, uint32_t n)
{
	if (fd < 0 || fd >= NFILES || !files[fd].ops)
		return E_Inval;
	return files[fd].ops->write(&files[fd], buf, n);
}

static uint32_t fnv(uint32_t h, uint32_t w)
{
	int i;

	for (i = 0; i < 4; i++, w >>= 8)
		h = (h ^ (w & 0xff)) * 0x01000193u;
	return h;
}

/* The server echoes until the client says it is done. */
static int server(struct pipeshm *s, int inl)
{
	uint32_t v, echoed = 0;

	files[0] = (struct file){ &pipe_ops, &s->c2s };
	files[1] = (struct file){ &pipe_ops, &s->s2c };
	for (;;) {
		while (s->c2s.head == s->c2s.tail && !s->done)
			shmring_wait(peer);
		if (s->c2s.head == s->c2s.tail)
			break;		/* done, and nothing left to echo */
		if (inl) {
			SHMRING_GET(&s->c2s, v, peer);
			SHMRING_PUT(&s->s2c, v, peer);
		} else {
			read(0, &v, 4);
			write(1, &v, 4);
		}
		echoed++;
	}
	printf("ipc-pipe server: echoed %u\n", echoed);
	return 0;
}

static int client(struct pipeshm *s, uint32_t n, int inl)
{
	uint32_t i, v, w, h = 0x811c9dc5u, bad = 0;

	files[0] = (struct file){ &pipe_ops, &s->s2c };
	files[1] = (struct file){ &pipe_ops, &s->c2s };
	sys_null();
	if (inl) {
		for (i = 0; i < n; i++) {
			v = i * 2654435761u + 0x12345;
			SHMRING_PUT(&s->c2s, v, peer);
			SHMRING_GET(&s->s2c, w, peer);
			bad |= w != v;
			h = fnv(h, w);
		}
	} else {
		for (i = 0; i < n; i++) {
			v = i * 2654435761u + 0x12345;
			bad |= write(1, &v, 4) != 4;
			bad |= read(0, &w, 4) != 4;
			bad |= w != v;
			h = fnv(h, w);
		}
	}
	sys_null();
	s->done = 1;
	shmring_wait(peer);
	printf("ipc-pipe%s: %u iterations, result 0x%08x %s\n", inl ? "-inline" : "", n, h,
	       bad ? "BAD" : "ok");
	return bad ? 1 : 0;
}

int main(int argc, char **argv)
{
	struct exos_key key;
	uint32_t frame, n;
	int srv, inl;
	struct pipeshm *s;

	inl = argc == 7 && !strcmp(argv[6], "inline");
	if ((argc != 6 && !inl) || exos_parse_key(argv[4], &key) < 0 ||
	    (strcmp(argv[1], "server") && strcmp(argv[1], "client"))) {
		printf("usage: ipc-pipe server|client <peer envid> <frame> <keyhex> <n> [inline]\n");
		return 2;
	}
	srv = argv[1][0] == 's';
	peer = (int)strtoul(argv[2], 0, 0);
	frame = strtoul(argv[3], 0, 0);
	n = strtoul(argv[5], 0, 0);
	s = srv ? ipc_server_frame(frame, &key) : ipc_client_frame(frame, &key);
	if (!s) {
		printf("ipc-pipe: %u iterations, result 0 BAD\n", n);
		return 1;
	}
	return srv ? server(s, inl) : client(s, n, inl);
}
