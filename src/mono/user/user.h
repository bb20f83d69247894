/*
 * user.h: what user programs of the monolithic kernel can call: the system
 * calls (usys.S; negative results are -errno) and a small C library
 * (ulib.c).
 */
#ifndef MONO_USER_H
#define MONO_USER_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include "../kernel/syscall.h"
#include "libc.h"

/* System calls. */
void exit(int status) __attribute__((noreturn));
int fork(void);
int wait(int *status);
int exec(const char *path, char **argv);
int getpid(void);
int write(int fd, const void *buf, uint32_t n);
int read(int fd, void *buf, uint32_t n);
int pipe(int fds[2]);
int close(int fd);
int dup(int fd);
void *sbrk(uint32_t n);
int shmget(uint32_t key, uint32_t size);
void *shmat(int id, void *addr);
int mprotect(void *addr, uint32_t len, int prot);
int kill(int pid, int sig);
int uptime(void);
int yield(void);
int null(void);
int freemem(void);
int socket(void);
int bind(int fd, uint32_t port);
int sendto(int fd, const void *buf, uint32_t len, const struct sockaddr_in *to);
int recvfrom(int fd, void *buf, uint32_t len, struct sockaddr_in *from);
int netconfig(uint32_t ip);
int sys_signal(int sig, void (*handler)(int, uint32_t, struct sigframe *), void (*tramp)(void));

/* Signals: a handler gets the signal, the fault address and the saved registers. */
typedef void (*sighandler_t)(int sig, uint32_t addr, struct sigframe *frame);
sighandler_t signal(int sig, sighandler_t handler);
extern void sigtramp(void);

/* ulib.c: printf and vprintf write to descriptor 1 (at most 255 bytes a
 * call); the string functions and snprintf are the shared C library's
 * (libc.h). */
#define PAGE_SIZE	4096u

#endif
