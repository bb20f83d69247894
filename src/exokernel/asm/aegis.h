/*
 * aegis.h: the data layout the kernel-path sequences in this directory share
 * (the .S files of src/exokernel/asm). These are the paths the exokernel charges in
 * src/exokernel/costs.ts, written the way Aegis would write them in MIPS I
 * for the R3000A; test/exokernel/costs.test.ts runs each on the emulated
 * CPU and checks that each constant is the count it measures.
 *
 * The layout is this file's, not the TypeScript kernel's (which keeps its
 * state in host objects); it holds what each path needs in the memory a
 * real kernel would use: kseg0, unmapped (R3000 manual, "Memory
 * management": kseg0 is unmapped and cached).
 */
#ifndef AEGIS_ASM_H
#define AEGIS_ASM_H

/* CP0 registers (R3000 manual, "System control coprocessor"). */
#define C0_INDEX	$0
#define C0_ENTRYLO	$2
#define C0_BADVADDR	$8
#define C0_ENTRYHI	$10
#define C0_STATUS	$12
#define C0_CAUSE	$13
#define C0_EPC		$14

/* Cause: ExcCode in bits 6..2, IP2 (LANCE via the system CSR) and IP3 (RTC) (docs/reference/decstation.md). */
#define CAUSE_EXC_MASK	0x7c
#define CAUSE_IP2	0x400
#define CAUSE_IP3	0x800

/* kdata: the kernel's globals (kdata.S). */
#define KD_CURENV	0	/* the running environment */
#define KD_AT		4	/* scratch for a refill that needs a third register */
#define KD_TICKS	8	/* clock ticks left in the running slice */
#define KD_SLOT		12	/* the running slice's position in the vector */
#define KD_CYCLES	16	/* cycles left in the slice, for the prologue's a1 */
#define KD_USP		20	/* the caller's sp during a system call */
#define KD_URA		24	/* the caller's ra during a system call */
#define KD_KSP		28	/* the kernel stack */
#define KD_NFRAMES	32	/* frames of physical memory */
#define KD_FRAMES	36	/* the frame table (kseg0) */
#define KD_UPA0		40	/* an upcall's a0 */
#define KD_UPA1		44	/* an upcall's a1 */
#define KD_ASHSP	48	/* the kernel's sp while an ASH runs */
#define KD_TXNEXT	52	/* the next LANCE transmit descriptor */
#define KD_UPPC		56	/* an upcall's entry pc */
#define KD_SLICETICKS	60	/* clock ticks in a slice (kernel.ts sliceTicks) */
#define KD_TICKCYCLES	64	/* cycles in a clock tick (kernel.ts cyclesPerTick) */
#define KD_FMIRROR	68	/* the frame table as user level maps it: a word a frame (abi.ts FrameEntry) */
#define KD_FREEHINT	72	/* no frame below it is free (frames.ts freeHint) */
#define KD_FTPAGES	76	/* pages of the frame table's mirror, every environment maps them */
#define KD_FTFIRST	80	/* ... its first frame (they are consecutive: kernel.ts) */
#define KD_MAC		84	/* the LANCE's Ethernet address, 6 bytes and 2 zero (8 bytes) */
#define KD_SIZE		128

/* An environment. */
#define ENV_ID		0
#define ENV_STATE	4	/* ENV_RUNNABLE or ENV_WAITING */
#define ENV_ASID	8	/* its address-space tag, as EntryHi wants it (asid << 6) */
#define ENV_SAVEK	12	/* its save area's kseg0 address (0: none registered) */
#define ENV_SAVEVA	16	/* the same save area's user address (what `at` gets) */
#define ENV_GTAB	20	/* its guaranteed mappings: 64 (tag, EntryLo) pairs, kseg0 */
#define ENV_PC		24	/* where it resumes */
#define ENV_WAITON	28	/* whom it waits on */
#define ENV_PROLOGUE	32	/* interrupt context: the prologue upcall's entry */
#define ENV_EPILOGUE	36	/* ... and the epilogue's */
#define ENV_PCTENTRY	40	/* protected entry context */
#define ENV_CTX		44	/* the context block the kernel saves it in (kseg0) */
#define ENV_RESUME	48	/* nonzero: it saved itself and resumes through its prologue */
#define ENV_PENALTY	52	/* ticks its overruns owe (sched.ts graceExpired) */
#define ENV_KEYLO	56	/* the key its image and stack frames are issued under (keys.ts) */
#define ENV_KEYHI	60
#define ENV_HANDLERS	64	/* exception context: 32 handler pcs, by ExcCode */
#define ENV_SIZE	192
#define ENV_RUNNABLE	1
#define ENV_FREE	0	/* a destroyed environment's slot */
#define ENV_WAITING	2

/* A context block (switch.S): general register n at 4 * n (zero, k0 and k1
   unused), then HI, LO, EPC and Status; kernel.ts saveContext's env.regs. */
#define CTX_HI		128
#define CTX_LO		132
#define CTX_EPC		136
#define CTX_SR		140
#define CTX_SIZE	144

/* The time-slice vector (slices.ts): one byte a slot, the owner's id (0: free). */
#define SLICES		128

/* The save area (src/exokernel/abi.ts, Save): words at these byte offsets. */
#define SAVE_EPC	0
#define SAVE_CAUSE	4
#define SAVE_BADVADDR	8
#define SAVE_AT		12
#define SAVE_A0		16
#define SAVE_A1		20
#define SAVE_BUSY	24

/* The STLB: 4096 (EntryHi, EntryLo) pairs, direct-mapped (src/exokernel/stlb.ts). */
#define STLB_MASK	0xfff
#define STLB_HASH	0x9e5	/* slot = (vpn ^ asid * 0x9e5) & 0xfff, as stlbSlot */
/* An empty STLB or guaranteed slot holds a kseg0 tag, which no refill can ask for. */
#define TAG_EMPTY	0x80000000

/* A frame table entry: the capability (key) that grants it and its rights. */
#define FR_KEYLO	0
#define FR_KEYHI	4
#define FR_RIGHTS	8	/* bit 1: write (abi.ts, Rights.Write) */
#define FR_OWNER	12	/* its owner's id; 0: free (frames.ts Frame.owner) */
#define FR_SIZE		16
#define RIGHTS_WRITE	2
#define RIGHTS_RW	3	/* abi.ts Rights.ReadWrite */
/* A frame's mirror entry (abi.ts FrameEntry): owner in bits 15..0, flags in 31..24. */
#define FE_OWNER_MASK	0xffff
#define FE_GUARANTEED	0x01000000

/* The user-visible layout (abi.ts Layout) and the info page (abi.ts Info). */
#define VA_STACK_TOP	0x7fe00000
#define VA_FRAMES	0x7fe00000
#define VA_REPO		0x7ffe0000
#define VA_INFO		0x7fff0000
#define INFO_ENVID	0
#define INFO_ASID	4
#define INFO_KEY_LO	8
#define INFO_KEY_HI	12
#define INFO_NFRAMES	16
#define INFO_MAC	64

/* EntryLo bits (R3000 manual, "TLB entry"): N, D, V, G. */
#define LO_N		0x800
#define LO_D		0x400
#define LO_V		0x200
#define LO_G		0x100

/* The MC146818 RTC's register C, through kseg1 (docs/reference/decstation.md). */
#define RTC_REGC	0xbfe80030
/* The LANCE (pmad.ts): SRAM at the window base, RDP and RAP at +0x100000, kseg1. */
#define LANCE_BASE	0xbf800000	/* the PMAD-AA window (kn02.ts), kseg1 */
#define LANCE_RDP	0xbf900000
#define LANCE_RAP	0xbf900004
/* CSR0 bits (Am7990): INEA, TDMD, RINT, TINT. */
#define CSR0_INEA	0x0040
#define CSR0_TDMD	0x0008
#define CSR0_RINT	0x0400

/* Number of system calls (abi.ts SYS_COUNT bounds v0); the sequences index systab by it. */
#define NSYS		32

#endif
