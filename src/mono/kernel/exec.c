/*
 * exec.c: replaces a process's image with an ELF program from the file
 * table (fs.c), the way xv6's exec does from its file system: a fresh page
 * table, each PT_LOAD segment copied in, a stack holding the arguments.
 */
#include "defs.h"
#include "param.h"
#include "memlayout.h"
#include "mips.h"
#include "proc.h"

extern uint32_t cur_pgdir;	/* proc.c: the page table the UTLB handler walks */

#define ELF_MAGIC	0x464c457fu	/* "\x7fELF", little-endian */
#define PT_LOAD		1
#define PF_W		2
#define EM_MIPS		8

struct elfhdr {
	uint32_t magic;
	uint8_t class, data, version, osabi, pad[8];
	uint16_t type, machine;
	uint32_t version2, entry, phoff, shoff, flags;
	uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};

struct proghdr {
	uint32_t type, offset, vaddr, paddr, filesz, memsz, flags, align;
};

/* Copies n bytes of src to user va in p, whatever the pages' protection; 0 or -ENOEXEC. */
static int load_bytes(struct proc *p, uint32_t va, const uint8_t *src, uint32_t n)
{
	while (n > 0) {
		pte_t *pte = uvm_walk(p->pgdir, va, 0);
		uint32_t off = va & (PGSIZE - 1), chunk = PGSIZE - off;
		if (!pte || !(*pte & PTE_P))
			return -ENOEXEC;
		if (chunk > n)
			chunk = n;
		memcpy((void *)PHYSTOK0((*pte & PTE_PFN) + off), src, chunk);
		n -= chunk, src += chunk, va += chunk;
	}
	return 0;
}

/* Maps and fills the PT_LOAD segments of the image; the end of the highest, or -ENOEXEC/-ENOMEM. */
static int load_segments(struct proc *p, const uint8_t *img, uint32_t size)
{
	const struct elfhdr *eh = (const struct elfhdr *)img;
	uint32_t i, top = USERBASE;

	for (i = 0; i < eh->phnum; i++) {
		const struct proghdr *ph;
		uint32_t off = eh->phoff + i * sizeof *ph, end;
		if (off + sizeof *ph > size)
			return -ENOEXEC;
		ph = (const struct proghdr *)(img + off);
		if (ph->type != PT_LOAD)
			continue;
		end = ph->vaddr + ph->memsz;
		if (ph->vaddr < USERBASE || end < ph->vaddr || end > SHMBASE ||
		    ph->filesz > ph->memsz || ph->offset + ph->filesz > size)
			return -ENOEXEC;
		if (uvm_alloc(p, ph->vaddr, end, PTE_R | ((ph->flags & PF_W) ? PTE_W : 0)) < 0)
			return -ENOMEM;
		if (load_bytes(p, ph->vaddr, img + ph->offset, ph->filesz) < 0)
			return -ENOEXEC;
		if (end > top)
			top = end;
	}
	return (int)PGROUNDUP(top);
}

/* Builds the user stack: argument strings, then argv[]; returns sp, or 0 if it does not fit. */
static uint32_t push_args(struct proc *p, char **argv, int argc)
{
	uint32_t sp = USTACKTOP, uargv[MAXARG + 1];
	int i;

	for (i = argc - 1; i >= 0; i--) {
		uint32_t len = strlen(argv[i]) + 1;
		sp = (sp - len) & ~3u;
		if (copyout(p, sp, argv[i], len) < 0)
			return 0;
		uargv[i] = sp;
	}
	uargv[argc] = 0;
	sp = (sp - (uint32_t)(argc + 1) * 4) & ~7u;
	if (copyout(p, sp, uargv, (uint32_t)(argc + 1) * 4) < 0)
		return 0;
	return sp;
}

/*
 * Replaces the current process's image with program path, called with
 * argv (kernel strings, at most MAXARG, 0-terminated). Returns argc (the
 * new image's a0) or -ENOENT/-ENOEXEC/-ENOMEM, leaving the old image.
 */
int exec(const char *path, char **argv)
{
	struct proc *p = curproc;
	pagetable_t old = p->pgdir;
	const uint8_t *img;
	uint32_t size, sp;
	int argc, top, i;
	const struct elfhdr *eh;

	if (fs_lookup(path, &img, &size) < 0)
		return -ENOENT;
	eh = (const struct elfhdr *)img;
	if (size < sizeof *eh || eh->magic != ELF_MAGIC || eh->machine != EM_MIPS)
		return -ENOEXEC;
	for (argc = 0; argv[argc]; argc++)
		;
	if (!(p->pgdir = uvm_create())) {
		p->pgdir = old;
		return -ENOMEM;
	}
	if ((top = load_segments(p, img, size)) < 0 ||
	    uvm_alloc(p, USTACKTOP - USTACKPAGES * PGSIZE, USTACKTOP, PTE_R | PTE_W) < 0 ||
	    !(sp = push_args(p, argv, argc))) {
		uvm_free(p->pgdir, p->asid);
		p->pgdir = old;
		return top < 0 ? top : -ENOMEM;
	}
	memset(p->tf, 0, sizeof *p->tf);
	p->tf->epc = eh->entry;
	p->tf->regs[R_SP] = sp - 16;
	p->tf->regs[R_A0] = (uint32_t)argc;
	p->tf->regs[R_A1] = sp;
	p->tf->status = ST_IM(2) | ST_IM(3) | ST_KUP | ST_IEP;
	p->brk = (uint32_t)top;
	for (i = 0; i < NSIG; i++)
		if (p->sighandler[i] > 1)
			p->sighandler[i] = 0;
	safestrcpy(p->name, path, sizeof p->name);
	if (old)
		uvm_free(old, p->asid);
	cur_pgdir = (uint32_t)p->pgdir;
	return argc;
}
