/*
 * pipe.c: pipes: a PIPESIZE-byte ring between a read end and a write end.
 * A reader of an empty pipe and a writer of a full one sleep until the
 * other side makes progress or closes.
 */
#include "defs.h"
#include "param.h"
#include "proc.h"
#include "file.h"

struct pipe {
	uint8_t data[PIPESIZE];
	uint32_t nread;		/* bytes read, ever */
	uint32_t nwrite;	/* bytes written, ever */
	int readopen, writeopen;
	int used;
};

static struct pipe pipes[NPIPE];

/* Makes a pipe and its two files; 0, -ENFILE when a table is full. */
int pipealloc(struct file **rf, struct file **wf)
{
	struct pipe *pi;

	for (pi = pipes; pi < &pipes[NPIPE] && pi->used; pi++)
		;
	if (pi == &pipes[NPIPE] || !(*rf = filealloc()))
		return -ENFILE;
	if (!(*wf = filealloc())) {
		(*rf)->ref = 0;
		return -ENFILE;
	}
	pi->used = 1;
	pi->readopen = pi->writeopen = 1;
	pi->nread = pi->nwrite = 0;
	(*rf)->type = FD_PIPE, (*rf)->readable = 1, (*rf)->pipe = pi;
	(*wf)->type = FD_PIPE, (*wf)->writable = 1, (*wf)->pipe = pi;
	return 0;
}

/* Closes one end; the pipe is freed when both are closed. */
void pipeclose(struct pipe *pi, int writable)
{
	if (writable) {
		pi->writeopen = 0;
		wakeup(&pi->nread);
	} else {
		pi->readopen = 0;
		wakeup(&pi->nwrite);
	}
	if (!pi->readopen && !pi->writeopen)
		pi->used = 0;
}

/*
 * Writes n bytes from user address addr, sleeping while the pipe is full;
 * returns n, or -EPIPE with no reader, -EINTR on a signal, -EFAULT on a
 * bad address (each after the bytes already written, if any, are counted).
 */
int pipewrite(struct pipe *pi, uint32_t addr, uint32_t n)
{
	uint32_t i = 0;

	while (i < n) {
		if (!pi->readopen)
			return -EPIPE;
		if (pi->nwrite == pi->nread + PIPESIZE) {
			if (sig_pending(curproc))
				return i ? (int)i : -EINTR;
			wakeup(&pi->nread);
			sleep(&pi->nwrite);
			continue;
		}
		{
			uint32_t at = pi->nwrite % PIPESIZE;
			uint32_t room = PIPESIZE - (pi->nwrite - pi->nread);
			uint32_t chunk = n - i;
			if (chunk > room)
				chunk = room;
			if (chunk > PIPESIZE - at)
				chunk = PIPESIZE - at;
			if (copyin(curproc, &pi->data[at], addr + i, chunk) < 0)
				return i ? (int)i : -EFAULT;
			pi->nwrite += chunk;
			i += chunk;
		}
	}
	wakeup(&pi->nread);
	return (int)i;
}

/*
 * Reads up to n bytes into user address addr, sleeping while the pipe is
 * empty and a writer remains; returns the bytes read (0 at end of file),
 * -EINTR on a signal or -EFAULT on a bad address.
 */
int piperead(struct pipe *pi, uint32_t addr, uint32_t n)
{
	uint32_t i = 0;

	while (pi->nread == pi->nwrite && pi->writeopen) {
		if (sig_pending(curproc))
			return -EINTR;
		sleep(&pi->nread);
	}
	while (i < n && pi->nread != pi->nwrite) {
		uint32_t at = pi->nread % PIPESIZE;
		uint32_t chunk = pi->nwrite - pi->nread;
		if (chunk > n - i)
			chunk = n - i;
		if (chunk > PIPESIZE - at)
			chunk = PIPESIZE - at;
		if (copyout(curproc, addr + i, &pi->data[at], chunk) < 0)
			return i ? (int)i : -EFAULT;
		pi->nread += chunk;
		i += chunk;
	}
	wakeup(&pi->nwrite);
	return (int)i;
}
