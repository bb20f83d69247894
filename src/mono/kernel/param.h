/*
 * param.h: the monolithic kernel's sizes and limits.
 */
#ifndef MONO_PARAM_H
#define MONO_PARAM_H

#define NPROC		16		/* process slots; ASID = slot + 1 (6-bit ASIDs) */
#define NOFILE		16		/* open files per process */
#define NFILE		64		/* open files in the system */
#define NPIPE		16		/* pipes in the system */
#define NSHM		8		/* shared-memory segments */
#define SHM_MAXPAGES	128		/* pages per shared-memory segment */
#define NSIG		32		/* signals 1..31 */
#define KSTACKSIZE	8192		/* kernel stack per process */
#define MAXARG		16		/* exec arguments */
#define MAXARGLEN	64		/* bytes per exec argument */
#define PIPESIZE	512		/* bytes in a pipe's buffer */
#define HZ		256		/* clock interrupts a second (Ultrix on the DECstation used 256) */
#define PHYSTOP		0x80800000u	/* the kernel allocates pages below 8 MiB */

#endif
