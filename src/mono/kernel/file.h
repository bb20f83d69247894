/*
 * file.h: open files: the console, a pipe's end, or a UDP socket.
 */
#ifndef MONO_FILE_H
#define MONO_FILE_H

#include <stdint.h>

struct pipe;
struct sock;

struct file {
	enum { FD_NONE, FD_CONSOLE, FD_PIPE, FD_SOCK } type;
	int ref;			/* descriptors (in all processes) naming it */
	char readable, writable;
	struct pipe *pipe;		/* FD_PIPE */
	struct sock *sock;		/* FD_SOCK */
};

#endif
