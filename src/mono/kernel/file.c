/*
 * file.c: the system's open-file table and the read/write dispatch to the
 * console, pipes and sockets.
 */
#include "defs.h"
#include "param.h"
#include "proc.h"
#include "file.h"
#include "net.h"

static struct file ftable[NFILE];

/* Returns an unused file with one reference, or 0 when the table is full. */
struct file *filealloc(void)
{
	struct file *f;

	for (f = ftable; f < &ftable[NFILE]; f++)
		if (f->ref == 0) {
			f->ref = 1;
			f->readable = f->writable = 0;
			f->pipe = 0;
			f->sock = 0;
			return f;
		}
	return 0;
}

/* Adds a reference to f; returns f. */
struct file *filedup(struct file *f)
{
	f->ref++;
	return f;
}

/* Drops a reference; the last one closes the pipe end or socket. */
void fileclose(struct file *f)
{
	if (--f->ref > 0)
		return;
	if (f->type == FD_PIPE)
		pipeclose(f->pipe, f->writable);
	else if (f->type == FD_SOCK)
		sock_close(f->sock);
	f->type = FD_NONE;
}

/* A new console file, readable and writable (the first process's 0, 1, 2). */
struct file *console_file(void)
{
	struct file *f = filealloc();

	if (!f)
		panic("console_file");
	f->type = FD_CONSOLE;
	f->readable = f->writable = 1;
	return f;
}

/* Writes n bytes from user address addr to the console through the PROM; n or -EFAULT. */
static int console_write(uint32_t addr, uint32_t n)
{
	char buf[128];
	uint32_t done = 0;

	while (done < n) {
		uint32_t chunk = n - done < sizeof buf - 1 ? n - done : sizeof buf - 1;
		if (copyin(curproc, buf, addr + done, chunk) < 0)
			return done ? (int)done : -EFAULT;
		buf[chunk] = 0;
		printf("%s", buf);
		done += chunk;
	}
	return (int)n;
}

/* Reads up to n bytes of f into user address addr; bytes read, 0 at end, or -errno. */
int fileread(struct file *f, uint32_t addr, uint32_t n)
{
	if (!f->readable)
		return -EBADF;
	switch (f->type) {
	case FD_PIPE:
		return piperead(f->pipe, addr, n);
	case FD_CONSOLE:
		return 0;	/* no console input: the kernel's programs take arguments */
	default:
		return -EBADF;
	}
}

/* Writes n bytes from user address addr to f; bytes written or -errno. */
int filewrite(struct file *f, uint32_t addr, uint32_t n)
{
	if (!f->writable)
		return -EBADF;
	switch (f->type) {
	case FD_PIPE:
		return pipewrite(f->pipe, addr, n);
	case FD_CONSOLE:
		return console_write(addr, n);
	default:
		return -EBADF;
	}
}

/* Gives f the lowest free descriptor of the current process; the fd or -EMFILE. */
int fdalloc(struct file *f)
{
	int fd;

	for (fd = 0; fd < NOFILE; fd++)
		if (!curproc->ofile[fd]) {
			curproc->ofile[fd] = f;
			return fd;
		}
	return -EMFILE;
}
