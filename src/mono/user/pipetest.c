/*
 * pipetest: pipes between processes.
 *
 *  - a child writes 20000 bytes (a known pattern, in odd-sized writes)
 *    through a 512-byte pipe; the parent reads until end of file and
 *    checks count and hash: both sides block and wake many times;
 *  - a ping-pong of 100 one-word messages over two pipes;
 *  - write with no reader is -EPIPE (-32); read with no writer left is 0;
 *  - a child blocked reading an empty pipe is woken by SIGKILL.
 */
#include "user.h"

#define TOTAL	20000

static uint8_t pattern(uint32_t i)
{
	return (uint8_t)(i * 7 + (i >> 8));
}

/* The child's half of the bulk test: writes TOTAL bytes in chunks of 1..97. */
static void writer(int fd)
{
	uint8_t buf[97];
	uint32_t sent = 0, n = 1, i;

	while (sent < TOTAL) {
		if (n > TOTAL - sent)
			n = TOTAL - sent;
		for (i = 0; i < n; i++)
			buf[i] = pattern(sent + i);
		if (write(fd, buf, n) != (int)n)
			exit(1);
		sent += n;
		n = n % 97 + 1;
	}
	exit(0);
}

static void bulk(void)
{
	int fds[2], pid, status, n;
	uint32_t got = 0, h = FNV_INIT, want = FNV_INIT, i;
	uint8_t buf[300];

	pipe(fds);
	if ((pid = fork()) == 0) {
		close(fds[0]);
		writer(fds[1]);
	}
	close(fds[1]);
	while ((n = read(fds[0], buf, sizeof buf)) > 0) {
		h = fnv1a(h, buf, (uint32_t)n);
		got += (uint32_t)n;
	}
	for (i = 0; i < TOTAL; i++) {
		uint8_t b = pattern(i);
		want = fnv1a(want, &b, 1);
	}
	close(fds[0]);
	wait(&status);
	printf("bulk: %u bytes, hash %s, writer status %d, last read %d\n",
	       got, h == want ? "ok" : "BAD", status, n);
}

static void pingpong(void)
{
	int up[2], down[2], i, status;
	uint32_t v = 0, sum = 0;

	pipe(up);
	pipe(down);
	if (fork() == 0) {
		for (i = 0; i < 100; i++) {
			read(down[0], &v, 4);
			v += 1;
			write(up[1], &v, 4);
		}
		exit(0);
	}
	for (i = 0; i < 100; i++) {
		v = (uint32_t)i * 3;
		write(down[1], &v, 4);
		read(up[0], &v, 4);
		sum += v;
	}
	wait(&status);
	printf("pingpong: 100 round trips, sum %u (want %u)\n", sum, 3u * 4950 + 100);
	close(up[0]), close(up[1]), close(down[0]), close(down[1]);
}

static void ends(void)
{
	int fds[2], pid, status;
	char c = 'x';

	pipe(fds);
	close(fds[0]);
	printf("write with no reader: %d\n", write(fds[1], &c, 1));
	close(fds[1]);
	pipe(fds);
	close(fds[1]);
	printf("read with no writer: %d\n", read(fds[0], &c, 1));
	close(fds[0]);

	pipe(fds);
	if ((pid = fork()) == 0) {
		read(fds[0], &c, 1);
		exit(5);
	}
	yield();
	kill(pid, SIGKILL);
	wait(&status);
	printf("blocked reader killed: status %d\n", status);
	close(fds[0]), close(fds[1]);
}

int main(void)
{
	int free0 = freemem();

	bulk();
	pingpong();
	ends();
	printf("pages leaked: %d\n", free0 - freemem());
	return 0;
}
