/*
 * defs.h: the kernel's functions, by file.
 */
#ifndef MONO_DEFS_H
#define MONO_DEFS_H

#include <stdint.h>
#include "rt.h"
#include "mmu.h"

struct proc;
struct file;
struct pipe;
struct trapframe;
struct context;

/* Error numbers, returned negated by system calls (Unix values). */
#define EPERM		1
#define ESRCH		3
#define EINTR		4
#define ENOEXEC		8
#define ECHILD		10
#define EAGAIN		11
#define ENOMEM		12
#define EFAULT		14
#define EEXIST		17
#define EINVAL		22
#define ENFILE		23
#define EMFILE		24
#define EPIPE		32
#define ENOSYS		38
#define ENOENT		2
#define EBADF		9

/* kalloc.c */
void kinit(void);
void *kalloc(void);
void kfree(void *page);
uint32_t kfree_count(void);

/* vm.c */
pagetable_t uvm_create(void);
pte_t *uvm_walk(pagetable_t pd, uint32_t va, int alloc);
int uvm_map(struct proc *p, uint32_t va, uint32_t pa, uint32_t perm);
int uvm_alloc(struct proc *p, uint32_t start, uint32_t end, uint32_t perm);
void uvm_free(pagetable_t pd, uint32_t asid);
int uvm_copy(pagetable_t from, struct proc *to);
int uvm_protect(struct proc *p, uint32_t va, uint32_t len, uint32_t perm);
int copyout(struct proc *p, uint32_t dst, const void *src, uint32_t n);
int copyin(struct proc *p, void *dst, uint32_t src, uint32_t n);
int copyinstr(struct proc *p, char *dst, uint32_t src, uint32_t max);
void tlb_init(void);
void tlb_flush_page(uint32_t va, uint32_t asid);
void tlb_flush_asid(uint32_t asid);

/* proc.c */
void procinit(void);
struct proc *allocproc(void);
void freeproc(struct proc *p);
void userinit(int argc, char **argv);
int fork(void);
void exit(int status) __attribute__((noreturn));
int wait(uint32_t status_addr);
void scheduler(void) __attribute__((noreturn));
void sched(void);
void yield(void);
void sleep(void *chan);
void wakeup(void *chan);
int kill(int pid, int sig);
void swtch(struct context *old, struct context *new);
void trapret(void);

/* exec.c */
int exec(const char *path, char **argv);

/* initfs.S / fs.c */
int fs_lookup(const char *name, const uint8_t **data, uint32_t *size);

/* trap.c */
void trap(struct trapframe *tf);
void vec_install(void);
extern uint32_t trap_count[32];
extern uint32_t intr_count[8];

/* syscall.c */
void syscall(struct trapframe *tf);
extern uint32_t syscall_count[];

/* signal.c */
void sig_post(struct proc *p, int sig);
void sig_fault(struct proc *p, int sig, uint32_t addr);
int sig_return(struct trapframe *tf, uint32_t frame);
int sig_handler(int sig, uint32_t handler, uint32_t tramp);
void sig_deliver(struct trapframe *tf);
int sig_pending(struct proc *p);

/* clock.c */
void clock_init(void);
void clock_intr(void);
extern volatile uint32_t ticks;

/* file.c */
struct file *filealloc(void);
struct file *filedup(struct file *f);
void fileclose(struct file *f);
int fileread(struct file *f, uint32_t addr, uint32_t n);
int filewrite(struct file *f, uint32_t addr, uint32_t n);
int fdalloc(struct file *f);
struct file *console_file(void);

/* pipe.c */
int pipealloc(struct file **rf, struct file **wf);
void pipeclose(struct pipe *pi, int writable);
int pipewrite(struct pipe *pi, uint32_t addr, uint32_t n);
int piperead(struct pipe *pi, uint32_t addr, uint32_t n);

/* shm.c */
int shmget(uint32_t key, uint32_t size);
int shmat(int id, uint32_t addr);

/* net.c */
void net_init(void);
void net_intr(void);

/* string.c (the rest: the shared C library, libc.h) */
char *safestrcpy(char *dst, const char *src, int n);

/* main.c */
void panic(const char *msg) __attribute__((noreturn));
void halt(int status) __attribute__((noreturn));

#endif
