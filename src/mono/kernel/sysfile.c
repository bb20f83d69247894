/*
 * sysfile.c: the system calls about files and programs: read, write,
 * pipe, close, dup, exec, and the UDP socket calls. Arguments are checked here; user memory is
 * only touched through copyin/copyout.
 */
#include "defs.h"
#include "param.h"
#include "proc.h"
#include "file.h"
#include "net.h"

#define A0 (tf->regs[R_A0])
#define A1 (tf->regs[R_A1])
#define A2 (tf->regs[R_A2])

/* Returns the open file for descriptor fd of the current process, or 0. */
static struct file *fdfile(uint32_t fd)
{
	return fd < NOFILE ? curproc->ofile[fd] : 0;
}

/* write(fd, buf, n): bytes written or -errno. */
int sys_write(struct trapframe *tf)
{
	struct file *f = fdfile(A0);

	return f ? filewrite(f, A1, A2) : -EBADF;
}

/* read(fd, buf, n): bytes read, 0 at end of file, or -errno. */
int sys_read(struct trapframe *tf)
{
	struct file *f = fdfile(A0);

	return f ? fileread(f, A1, A2) : -EBADF;
}

/* pipe(int fds[2]): fds[0] reads, fds[1] writes; 0 or -errno (nothing stays open on failure). */
int sys_pipe(struct trapframe *tf)
{
	struct file *rf, *wf;
	int fds[2], err;

	if ((err = pipealloc(&rf, &wf)) < 0)
		return err;
	fds[0] = fdalloc(rf);
	fds[1] = fds[0] < 0 ? -EMFILE : fdalloc(wf);
	if (fds[1] < 0 || copyout(curproc, A0, fds, sizeof fds) < 0) {
		if (fds[0] >= 0)
			curproc->ofile[fds[0]] = 0;
		if (fds[1] >= 0)
			curproc->ofile[fds[1]] = 0;
		fileclose(rf);
		fileclose(wf);
		return fds[1] < 0 ? -EMFILE : -EFAULT;
	}
	return 0;
}

/* close(fd): 0 or -EBADF. */
int sys_close(struct trapframe *tf)
{
	struct file *f = fdfile(A0);

	if (!f)
		return -EBADF;
	curproc->ofile[A0] = 0;
	fileclose(f);
	return 0;
}

/* dup(fd): a new descriptor for the same file, or -errno. */
int sys_dup(struct trapframe *tf)
{
	struct file *f = fdfile(A0);
	int fd;

	if (!f)
		return -EBADF;
	if ((fd = fdalloc(f)) >= 0)
		filedup(f);
	return fd;
}

/* exec(path, argv): does not return on success; -errno otherwise. */
int sys_exec(struct trapframe *tf)
{
	static char path[MAXARGLEN], args[MAXARG][MAXARGLEN];
	char *argv[MAXARG + 1];
	uint32_t i, uarg;
	int n;

	if ((n = copyinstr(curproc, path, A0, sizeof path)) < 0)
		return n;
	for (i = 0;; i++) {
		if (i > MAXARG)
			return -EINVAL;
		if (copyin(curproc, &uarg, A1 + 4 * i, 4) < 0)
			return -EFAULT;
		if (!uarg)
			break;
		if (i == MAXARG)
			return -EINVAL;
		if ((n = copyinstr(curproc, args[i], uarg, MAXARGLEN)) < 0)
			return n;
		argv[i] = args[i];
	}
	argv[i] = 0;
	return exec(path, argv);
}

/* Returns the socket behind descriptor fd, or 0. */
static struct sock *fdsock(uint32_t fd)
{
	struct file *f = fdfile(fd);

	return f && f->type == FD_SOCK ? f->sock : 0;
}

/* socket(): a new, unbound UDP socket's descriptor, or -ENFILE/-EMFILE. */
int sys_socket(struct trapframe *tf)
{
	struct file *f = filealloc();
	int fd;

	(void)tf;
	if (!f)
		return -ENFILE;
	if (!(f->sock = sock_alloc())) {
		f->ref = 0;
		return -ENFILE;
	}
	f->type = FD_SOCK;
	f->readable = f->writable = 1;
	if ((fd = fdalloc(f)) < 0)
		fileclose(f);
	return fd;
}

/* bind(fd, port): 0 or -errno. */
int sys_bind(struct trapframe *tf)
{
	struct sock *s = fdsock(A0);

	return s ? sock_bind(s, A1) : -EBADF;
}

/* sendto(fd, buf, len, struct sockaddr_in *to): len or -errno. */
int sys_sendto(struct trapframe *tf)
{
	struct sock *s = fdsock(A0);

	return s ? sock_sendto(s, A1, A2, tf->regs[R_A3]) : -EBADF;
}

/* recvfrom(fd, buf, len, struct sockaddr_in *from): bytes or -errno. */
int sys_recvfrom(struct trapframe *tf)
{
	struct sock *s = fdsock(A0);

	return s ? sock_recvfrom(s, A1, A2, tf->regs[R_A3]) : -EBADF;
}

/* netconfig(ip): sets the interface's IPv4 address (host order). */
int sys_netconfig(struct trapframe *tf)
{
	return net_config(A0);
}
