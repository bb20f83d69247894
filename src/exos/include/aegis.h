/*
 * aegis.h: the ABI between the exokernel and a library OS, for C and
 * assembler.
 *
 * GENERATED from src/exokernel/abi.ts by scripts/gen-abi-header.mjs; do not
 * edit. Run `npm run abi` after changing abi.ts; a test fails when this
 * file is stale. What follows is abi.ts's own description.
 *
 * The ABI between the exokernel and a library OS, defined once. The C header
 * the guests include (src/exos/include/aegis.h) is generated from this file
 * by scripts/gen-abi-header.mjs (`npm run abi`); a test fails when it is
 * stale. Every call is documented here and nowhere else.
 *
 * System calls: `syscall` with the call number in v0 and arguments in
 * a0..a3; the result comes back in v0, a negative value being an error code
 * (Err). Only v0 is changed; the kernel returns to the instruction after the
 * syscall. An unknown number returns Err.NoSys; it never harms the kernel.
 *
 * Exceptions other than system calls and TLB misses the STLB serves are
 * dispatched to the environment in user mode, the Aegis way (paper, sec.
 * 5.2): the kernel stores EPC, Cause, BadVAddr and the three scratch
 * registers at, a0 and a1 in the environment's save area, sets
 *   a0 = Cause, a1 = BadVAddr, at = the save area's virtual address,
 * sets the save area's `busy` word to 1 and jumps to the handler the
 * environment registered for that exception code. BadVAddr (saved and in
 * a1) is the faulting address for the exceptions that set it (Mod, TLBL,
 * TLBS, AdEL, AdES) and 0 for every other: the CPU's register would still
 * hold an earlier fault's address, perhaps another environment's. The handler
 * returns to
 * the faulting code itself, without entering the kernel: it clears `busy`,
 * reloads at/a0/a1 from the save area and jumps to the saved EPC (k0 and k1
 * are the kernel's in the MIPS ABI, so the handler may use them for that).
 * An exception while `busy` is 1, an exception with no handler registered,
 * or a save area that is not mapped destroys the environment, with an event
 * naming the reason.
 */
#ifndef EXOS_AEGIS_H
#define EXOS_AEGIS_H

/* System call numbers (v0). */
/* null(): returns 0. For measuring the cost of a kernel entry. */
#define SYS_Null                0
/*
 * cputs(a0 = buf, a1 = len): writes len bytes to the environment's console.
 * Returns len. Errors: Inval (len out of 0..CPUTS_MAX), Fault (buf unmapped).
 */
#define SYS_Cputs               1
/* exit(a0 = status): destroys the calling environment; never returns. */
#define SYS_Exit                2
/* getenvid(): returns the calling environment's id. */
#define SYS_GetEnvId            3
/*
 * frame_alloc(a0 = frame or -1 for any, a1 = key low word, a2 = key high
 * word): allocates a physical frame by name (or the lowest free one) and
 * records the 64-bit key the library OS chose as the owner's read-write
 * capability. The frame comes zeroed: the kernel clears every frame
 * before a new owner can bind it, whoever had it before (the cost is
 * charged to the caller). Returns the frame number. Errors: Inval (no
 * such frame), Busy (owned), NoMem (none free).
 */
#define SYS_FrameAlloc          4
/*
 * frame_free(a0 = frame): the owner gives a frame back. Every binding of
 * it, in any environment, is broken first. Errors: Inval, Perm (not the
 * owner).
 */
#define SYS_FrameFree           5
/*
 * frame_grant(a0 = frame, a1 = rights (Rights), a2/a3 = key): the owner
 * adds a capability with those rights to the frame's access list. Handing
 * the key to another environment is the library OS's business (shared
 * memory, arguments): the kernel takes no part in it. Errors: Inval,
 * Perm (not the owner), NoSpc (access list full).
 */
#define SYS_FrameGrant          6
/*
 * frame_rekey(a0 = frame): the owner removes every capability but its own
 * and breaks every other environment's bindings of the frame. Errors: Inval,
 * Perm.
 */
#define SYS_FrameRekey          7
/*
 * tlb_map(a0 = virtual page | MapFlag bits, a1 = EntryLo (PFN, N, D, V),
 * a2/a3 = key): the secure binding. The kernel checks that the key is a
 * capability for the frame EntryLo names and that its rights cover D,
 * then writes the mapping into the hardware TLB and the STLB under the
 * caller's ASID. With MapFlag.Guaranteed the mapping is also kept in the
 * environment's guaranteed set (never evicted; at most
 * GUARANTEED_MAX). EntryLo.G is refused. Errors: Inval (kernel or
 * out-of-range address, bad PFN), Cap (no such capability), Perm (read
 * capability with D), NoSpc (guaranteed set full).
 */
#define SYS_TlbMap              8
/*
 * tlb_unmap(a0 = virtual page): deletes the caller's mapping of that page
 * everywhere. Errors: Inval (kernel address, the info page or the frame
 * table), NoEnt (no mapping).
 */
#define SYS_TlbUnmap            9
/*
 * tlb_read(a0 = virtual page): returns the EntryLo the kernel holds for it.
 * Errors: Inval (kernel address), NoEnt.
 */
#define SYS_TlbRead             10
/*
 * set_handler(a0 = exception code 1..12 (ExcCode), a1 = user pc, word
 * aligned): registers the handler for that exception. Codes 0 (interrupts)
 * and 8 (system calls) are the kernel's and refused. Errors: Inval.
 */
#define SYS_SetHandler          11
/*
 * set_savearea(a0 = virtual address, word aligned, SAVE_SIZE bytes inside
 * one page): where the kernel saves state on dispatch. The page must be a
 * guaranteed writable mapping now (else Inval) and still be one when an
 * exception comes, or the environment dies. Errors: Inval.
 */
#define SYS_SetSaveArea         12
/* yield(): gives up the rest of the time slice. Returns 0. */
#define SYS_Yield               13
/*
 * cgets(a0 = buf, a1 = max): moves up to max bytes of console input that
 * have arrived for the environment into buf. Returns the number moved (0
 * when none is waiting; it never blocks). Errors: Inval (max out of
 * 0..CPUTS_MAX), Fault (buf not writable).
 */
#define SYS_Cgets               14
/*
 * set_upcall(a0 = Upcall kind, a1 = user pc, word aligned; 0 removes it):
 * registers an entry of the interrupt context (prologue, epilogue), of
 * revocation (revoke, repossess) or of the protected entry context (pct).
 * Errors: Inval.
 */
#define SYS_SetUpcall           15
/*
 * slice_alloc(a0 = first slot or -1 for any, a1 = count 1..SLICES,
 * a2 = spacing: 0 any free slots, 1 adjacent, k >= 2 every k-th slot
 * (wrapping)): allocates time slices by position. Returns the first slot
 * allocated. Errors: Inval, Busy (a slot asked for by position is taken),
 * NoSpc (not enough free slots).
 */
#define SYS_SliceAlloc          16
/*
 * slice_free(a0 = slot): gives a slice back. Errors: Inval, Perm (not the
 * caller's).
 */
#define SYS_SliceFree           17
/*
 * yield_to(a0 = environment id): directed yield, donating the rest of the
 * current slice to that environment (it gets a prologue upcall if it has
 * one, with a0/a1 and no other register set; else it resumes where the
 * kernel saved it). As in Aegis the kernel saves none of the caller's
 * registers: when the caller runs again it is after its syscall with
 * v0 = 0 and EVERY OTHER REGISTER ZERO (sp and ra included), so a
 * caller keeps what it needs in memory first (ExOS's sys_yield_to stub
 * keeps what a C call preserves). No register of the caller's reaches
 * the target. Errors (nothing changed, v0 only): Inval (no such runnable
 * environment, or the caller itself), Busy (the caller is in its
 * epilogue: its slice has ended and nothing is left to donate; it must
 * yield).
 */
#define SYS_YieldTo             18
/*
 * pct_sync / pct_async / pct_reply: protected control transfer (paper,
 * sec. 5.4). The target environment id is in v1. The message is the
 * general registers at, a0-a3, t0-t9, s0-s7, gp, sp, fp, ra, with HI and
 * LO: they arrive untouched, and they are all the callee learns of the
 * caller (a caller that does not mean to send one clears it first: that
 * is its choice, and ExOS's exos_pct_call sends only a0/a1). The callee
 * gets v0 = the caller's id, v1 = the call number, and in k0/k1 (the
 * kernel's) the call number * 4 and its entry pc, never the caller's.
 * Control moves to the callee's pct upcall in its own addressing context
 * and the rest of the slice is donated. pct_sync blocks the caller until
 * the callee answers with pct_reply (v1 = the caller), which resumes the
 * caller after its syscall with the replier's message registers as the
 * answer (v0 = 0, v1 = the replier, k1 = the resume pc). The kernel saves
 * no register of the caller's (Aegis; asm/pct.S): pct_async's caller and
 * the replier go on after their syscall when they next run with v0 = 0
 * and every other register zero, as yield_to's; a pct_sync caller whose
 * callee is destroyed before it answers wakes with v0 = Inval and every
 * other register zero. A call replaces the callee's registers (its
 * library OS keeps what it needs in memory). Errors (nothing changed,
 * v0 only; the caller goes on): Inval (no such runnable environment, no
 * pct entry, or a reply to an environment not waiting on the caller),
 * Busy (the callee is inside one of its handlers, or the caller is in its
 * epilogue: an ended slice has nothing to donate).
 */
#define SYS_PctSync             19
#define SYS_PctAsync            20
#define SYS_PctReply            21
/*
 * ring_create(a0 = virtual address of a packet ring (page aligned, in
 * guaranteed writable mappings of the caller, RING_PAGES_MAX pages at
 * most), a1 = number of slots, a2 = slot size in bytes (a multiple of 4,
 * RING_SLOT_MIN..RING_SLOT_MAX)): registers a packet ring (Ring layout).
 * Returns its ring id. Errors: Inval, NoSpc (RINGS_MAX rings already).
 */
#define SYS_RingCreate          22
/*
 * dpf_insert(a0 = pointer to the filter's atoms (DpfAtom layout, 16
 * bytes each), a1 = number of atoms (1..DPF_ATOMS_MAX), a2 = ring id,
 * a3 = ASH entry pc or 0): adds a dynamic packet filter; packets it
 * accepts land in the ring. A filter that would take packets another
 * environment's filter already claims is refused (Busy; the rule is in
 * src/exokernel/dpf). With an ASH, the kernel runs that code on each
 * matching packet before the ring sees it (Ash). Returns the filter id.
 * Errors: Inval, Fault, Busy, NoSpc (DPF_FILTERS_MAX filters).
 */
#define SYS_DpfInsert           23
/*
 * dpf_remove(a0 = filter id): removes one of the caller's filters. Errors:
 * Inval, Perm.
 */
#define SYS_DpfRemove           24
/*
 * net_send(a0 = buffer, a1 = length 14..1514): transmits an Ethernet frame
 * the caller built (the kernel checks that the buffer is the caller's
 * mapped memory, and nothing else). Returns the length. Errors: Inval, Fault.
 */
#define SYS_NetSend             25
/*
 * net_wait(a0 = most cycles to wait, 0 for none): blocks until a packet
 * lands in one of the caller's rings or the time is up. Returns the number
 * of packets waiting in its rings.
 */
#define SYS_NetWait             26

/*
 * A packet ring in the library OS's memory (byte offsets). The kernel writes
 * slot `head % slots` and then advances `head`; the library OS reads slot
 * `tail % slots` and advances `tail`. A slot holds the frame's length (a
 * word) then the frame. When head - tail == slots the packet is dropped and
 * `dropped` counts it.
 */
#define RING_HEAD               0
#define RING_TAIL               4
#define RING_SLOTS              8
#define RING_SLOT_SIZE          12
#define RING_DROPPED            16
/* The first slot. */
#define RING_DATA               32

/* Limits of packet rings. */
#define RINGS_MAX               8

#define RING_PAGES_MAX          16

#define RING_SLOT_MIN           64

#define RING_SLOT_MAX           1536

/*
 * One DPF atom (Engler and Kaashoek, DPF, SIGCOMM 1996), four words.
 * word 0: kind (bits 7:0: DpfKind), width in bytes (bits 15:8: 1, 2 or 4),
 * offset (bits 31:16) from the current base; word 1: mask; word 2: value
 * (Compare: the masked field must equal it) or shift (Shift: the base moves
 * forward by (field & mask) << shift bytes, for variable-length headers);
 * word 3: zero. Fields are big-endian, as on the wire.
 */
#define DPF_ATOM_SIZE           16
#define DPF_ATOM_KIND_MASK      0x000000ff
#define DPF_ATOM_WIDTH_SHIFT    8
#define DPF_ATOM_OFFSET_SHIFT   16

/* Kinds of DPF atoms. */
#define DPF_KIND_Compare        1
#define DPF_KIND_Shift          2

/* Most atoms in one filter and most filters in all (DPF 2.0: 256 and 256). */
#define DPF_ATOMS_MAX           256

#define DPF_FILTERS_MAX         256

/*
 * An application-specific safe handler (Wallach et al., SIGCOMM 1996): MIPS
 * code of the library OS the kernel runs on each packet its filter accepts,
 * even when the environment is not running, in the environment's address
 * space with the packet already in its ring slot: a0 = the frame's address
 * (in the slot), a1 = its length. It may read and write its own mapped
 * memory, call net_send (checked as usual) and nothing else; it ends with
 * `jr ra` (ra = ASH_RETURN, a magic address) and returns in v0: 0 to leave
 * the packet in the ring, 1 to consume it. More than ASH_BUDGET
 * instructions, an exception, or any other system call aborts it (an
 * event); the packet then goes to the ring.
 */
#define ASH_BUDGET              2000

#define ASH_RETURN              0x7ffff000

/* Upcall kinds (set_upcall a0). */
/*
 * The start of a slice, for an environment that yielded from its epilogue
 * (it saved its own context): a0 = the slot, a1 = the slice's length in
 * cycles at most (a slice that starts between clock ticks is shorter).
 * General registers other than a0/a1 are zero (nothing leaks from the last
 * owner). The library OS restores its own context. An environment that
 * was saved by the kernel instead (it was preempted, or yielded outside
 * its epilogue) is resumed where it was, without a prologue. The kernel
 * saves the registers at every yield, in the epilogue too, so an
 * environment with no prologue resumes after its yield.
 */
#define UPCALL_Prologue         1
/*
 * The end of a slice: dispatched like an exception (the save area holds
 * the interrupted EPC and at/a0/a1; a0 = the grace period in cycles). The
 * library OS saves its context and calls yield within the grace period,
 * or the kernel preempts it, counts an overrun and shortens its next
 * slice; past OVERRUN_LIMIT overruns in a row it is destroyed. The
 * epilogue, its grace period and its overrun belong to the environment
 * whose slice ended: yield_to and the PCT calls are refused (Busy) in it,
 * so it can hand them to nobody (Aegis paper, sec. 5.3: the processor is
 * being explicitly revoked).
 */
#define UPCALL_Epilogue         2
/*
 * A revocation request (visible revocation): dispatched like an
 * exception with a0 = RevokeKind, a1 = how many; the details are in the
 * repossession page (Repo). Give back before the deadline (frame_free or
 * slice_free) or the abort protocol takes them.
 */
#define UPCALL_Revoke           3
/*
 * The abort protocol took resources: dispatched like an exception with
 * a0 = frames taken, a1 = slices taken; the repossession page lists them.
 */
#define UPCALL_Repossess        4
/* The protected entry (PCT): see pct_sync. */
#define UPCALL_Pct              5

/* What a revocation asks for (Revoke upcall a0, Repo.REQ_KIND). */
#define REVOKE_KIND_Frames      1
#define REVOKE_KIND_Slices      2

/* Number of slots in the time-slice vector (Xok: 128). */
#define SLICES                  128

/* Epilogue overruns in a row after which an environment is destroyed. */
#define OVERRUN_LIMIT           3

/*
 * The repossession page (read-only, at Layout.REPO): the request being made
 * and the repossession vector, which records what the abort protocol took.
 * Byte offsets.
 */
/* The pending request: RevokeKind or 0 for none. */
#define REPO_REQ_KIND           0
/* How many frames or slices are asked for. */
#define REPO_REQ_COUNT          4
/* Cycles left, when the request was made, before the abort protocol. */
#define REPO_REQ_WINDOW         8
/* Repossessions so far (the library OS compares it with the last it saw). */
#define REPO_TAKEN_SEQ          16
/* Number of entries in the vector below. */
#define REPO_TAKEN_COUNT        20
/*
 * The vector: what the abort protocol took since the last Repossess upcall
 * was delivered, TAKEN_MAX entries of TAKEN_ENTRY bytes: the frame (or
 * slot) and the virtual address of the page it was bound at (0 for a slot
 * or an unbound frame). The upcall's a0/a1 count the same entries.
 */
#define REPO_TAKEN              32
#define REPO_TAKEN_ENTRY        8
#define REPO_TAKEN_MAX          500

/* Longest cputs or cgets the kernel accepts in one call. */
#define CPUTS_MAX               1024

/* Number of system calls; numbers at or past it return Err.NoSys. */
#define SYS_COUNT               27

/* Error codes (negative results in v0). */
/* An argument is out of range, misaligned or names nothing. */
#define E_Inval                 (-1)
/* The caller does not own what it names. */
#define E_Perm                  (-2)
/* The key is not a capability for the frame. */
#define E_Cap                   (-3)
/* No free frame. */
#define E_NoMem                 (-4)
/*
 * The frame is owned by someone; or the call cannot be made now (a callee in
 * its handler, a caller in its epilogue).
 */
#define E_Busy                  (-5)
/* A table is full. */
#define E_NoSpc                 (-6)
/* No such mapping. */
#define E_NoEnt                 (-7)
/* A pointer argument does not point at the caller's mapped memory. */
#define E_Fault                 (-8)
/* No such system call. */
#define E_NoSys                 (-9)

/* Rights a capability carries (frame_grant a1). */
#define RIGHTS_Read             1
#define RIGHTS_Write            2
#define RIGHTS_ReadWrite        3

/*
 * Flags in the low bits of tlb_map's a0 (the page offset bits, otherwise
 * zero).
 */
#define MAP_FLAG_Guaranteed     1

/*
 * The save area: word offsets (bytes = 4 x index).
 * In C these are byte offsets: SAVE_x = 4 x Save.x.
 */
#define SAVE_EPC                0
/* Cause of the exception; 0 for an upcall. */
#define SAVE_Cause              4
/*
 * The faulting address for Mod, TLBL, TLBS, AdEL and AdES; 0 for any other
 * exception and for an upcall.
 */
#define SAVE_BadVAddr           8
#define SAVE_AT                 12
#define SAVE_A0                 16
#define SAVE_A1                 20
/*
 * 1 from dispatch until the handler clears it; an exception meanwhile is
 * fatal.
 */
#define SAVE_Busy               24

/* Size of the save area in bytes. */
#define SAVE_SIZE               32

/*
 * Most guaranteed mappings an environment may hold (Xok: "five to ten
 * pages"; more for the image), counting its image and stack but not the
 * pages the kernel maps for itself (info page, repossession page, frame
 * table): those grow with RAM and are no choice of the library OS.
 */
#define GUARANTEED_MAX          48

/*
 * The user address space every environment starts with (virtual addresses).
 * The kernel maps the image, the stack, the info page and the frame table as
 * guaranteed mappings before the first instruction.
 */
/* Where ExOS programs are linked (kuseg). */
#define LAYOUT_TEXT             0x00400000
/* Start of the region ExOS hands out as demand-zero heap. */
#define LAYOUT_HEAP             0x10000000
/* Top of the initial stack (it grows down). */
#define LAYOUT_STACK_TOP        0x7fe00000
/* Pages of stack the kernel maps at creation. */
#define LAYOUT_STACK_PAGES      4
/* The frame table, read-only (FRAME_ENTRY bytes a frame). */
#define LAYOUT_FRAMES           0x7fe00000
/* The environment's info page, read-only (Info offsets). */
#define LAYOUT_INFO             0x7fff0000
/* The repossession page, read-only (Repo offsets). */
#define LAYOUT_REPO             0x7ffe0000
/* Size of a page. */
#define LAYOUT_PAGE             4096

/* Byte offsets in the info page. */
/* The environment's id. */
#define INFO_ENVID              0
/* Its ASID (0..63). */
#define INFO_ASID               4
/*
 * The 64-bit key the kernel gave the frames it allocated at creation (low,
 * high): a SipHash-2-4 output under a kernel secret that never reaches
 * guest memory, so nothing a guest can read predicts another
 * environment's key (docs/protection.md).
 */
#define INFO_KEY_LO             8
#define INFO_KEY_HI             12
/* Number of frames in the machine. */
#define INFO_NFRAMES            16
/*
 * argc, then ARGV: up to 8 pointers (virtual addresses inside the info page)
 * into the ARGS string area.
 */
#define INFO_ARGC               20
#define INFO_ARGV               24
/* The Ethernet address of the machine's LANCE, 6 bytes (then 2 zero bytes). */
#define INFO_MAC                64
/* The argument strings. */
#define INFO_ARGS               128
/*
 * 64 bits of seed for the library OS's own use, from a stream keyed
 * independently of the keys (it says nothing about any key). Fixed, like
 * the keys, by the scenario's seed.
 */
#define INFO_SEED_LO            56
#define INFO_SEED_HI            60

/* Most arguments an environment gets. */
#define ARGV_MAX                8

/* One frame-table entry: 4 bytes, little-endian. */
/* Owner environment id, bits 15:0 (0 = free, 0xffff = the kernel). */
#define FRAME_ENTRY_OWNER_MASK  0x0000ffff
/* Number of granted capabilities, bits 23:16. */
#define FRAME_ENTRY_GRANTS_SHIFT 16
/* Flags, bits 31:24. */
#define FRAME_ENTRY_FLAG_GUARANTEED 0x01000000
#define FRAME_ENTRY_SIZE        4

/* Owner value of a kernel frame in the frame table. */
#define KERNEL_OWNER            0x0000ffff

/* Every system call as X(c_name, number), for stubs and name tables. */
#define AEGIS_SYSCALLS(X) \
	X(null, SYS_Null) \
	X(cputs, SYS_Cputs) \
	X(exit, SYS_Exit) \
	X(getenvid, SYS_GetEnvId) \
	X(frame_alloc, SYS_FrameAlloc) \
	X(frame_free, SYS_FrameFree) \
	X(frame_grant, SYS_FrameGrant) \
	X(frame_rekey, SYS_FrameRekey) \
	X(tlb_map, SYS_TlbMap) \
	X(tlb_unmap, SYS_TlbUnmap) \
	X(tlb_read, SYS_TlbRead) \
	X(set_handler, SYS_SetHandler) \
	X(set_savearea, SYS_SetSaveArea) \
	X(yield, SYS_Yield) \
	X(cgets, SYS_Cgets) \
	X(set_upcall, SYS_SetUpcall) \
	X(slice_alloc, SYS_SliceAlloc) \
	X(slice_free, SYS_SliceFree) \
	X(yield_to, SYS_YieldTo) \
	X(pct_sync, SYS_PctSync) \
	X(pct_async, SYS_PctAsync) \
	X(pct_reply, SYS_PctReply) \
	X(ring_create, SYS_RingCreate) \
	X(dpf_insert, SYS_DpfInsert) \
	X(dpf_remove, SYS_DpfRemove) \
	X(net_send, SYS_NetSend) \
	X(net_wait, SYS_NetWait)

/* Every error code as X(name, code). */
#define AEGIS_ERRORS(X) \
	X(Inval, E_Inval) \
	X(Perm, E_Perm) \
	X(Cap, E_Cap) \
	X(NoMem, E_NoMem) \
	X(Busy, E_Busy) \
	X(NoSpc, E_NoSpc) \
	X(NoEnt, E_NoEnt) \
	X(Fault, E_Fault) \
	X(NoSys, E_NoSys)

#ifndef __ASSEMBLER__
#include <stdint.h>

/*
 * The system call stubs (src/exos/lib/syscall.S): v0 = the number, a0..a3 =
 * the arguments, the result in v0 (negative: an Err code). From SYS_C in
 * abi.ts.
 */
int sys_null(void);
int sys_cputs(const char *buf, uint32_t len);
void sys_exit(int status) __attribute__((noreturn));
int sys_getenvid(void);
int sys_frame_alloc(int frame, uint32_t key_lo, uint32_t key_hi);
int sys_frame_free(uint32_t frame);
int sys_frame_grant(uint32_t frame, uint32_t rights, uint32_t key_lo, uint32_t key_hi);
int sys_frame_rekey(uint32_t frame);
int sys_tlb_map(uint32_t va_flags, uint32_t entrylo, uint32_t key_lo, uint32_t key_hi);
int sys_tlb_unmap(uint32_t va);
int sys_tlb_read(uint32_t va);
int sys_set_handler(uint32_t code, uint32_t pc);
int sys_set_savearea(uint32_t va);
int sys_yield(void);
int sys_cgets(char *buf, uint32_t max);
int sys_set_upcall(uint32_t kind, uint32_t pc);
int sys_slice_alloc(int slot, uint32_t count, uint32_t spacing);
int sys_slice_free(uint32_t slot);
int sys_yield_to(int envid);
/* sys_pct_sync: not for C (abi.ts, SYS_C). */
/* sys_pct_async: not for C (abi.ts, SYS_C). */
/* sys_pct_reply: not for C (abi.ts, SYS_C). */
int sys_ring_create(uint32_t va, uint32_t slots, uint32_t slot_size);
int sys_dpf_insert(const void *atoms, uint32_t natoms, uint32_t ring, uint32_t ash_pc);
int sys_dpf_remove(uint32_t filter);
int sys_net_send(const void *frame, uint32_t len);
int sys_net_wait(uint32_t cycles);
#endif

/* Exception codes, Cause bits 6:2 (R30xx manual, table 3.2). */
#define EXC_Int                 0
#define EXC_Mod                 1
#define EXC_TLBL                2
#define EXC_TLBS                3
#define EXC_AdEL                4
#define EXC_AdES                5
#define EXC_IBE                 6
#define EXC_DBE                 7
#define EXC_Sys                 8
#define EXC_Bp                  9
#define EXC_RI                  10
#define EXC_CpU                 11
#define EXC_Ov                  12
#define EXC_COUNT               13
/* Their mnemonics, indexed by code. */
#define AEGIS_EXC_NAMES \
	"Int", "Mod", "TLBL", "TLBS", "AdEL", "AdES", "IBE", \
	"DBE", "Sys", "Bp", "RI", "CpU", "Ov"

/* Cause fields (R30xx manual, fig. 3.3). */
#define CAUSE_BD                0x80000000
#define CAUSE_EXC               0x0000007c
#define CAUSE_EXC_SHIFT         2

/* EntryLo fields (R30xx manual, ch. 6); tlb_map's a1. G is refused. */
#define ENTRYLO_PFN             0xfffff000
#define ENTRYLO_N               0x00000800
#define ENTRYLO_D               0x00000400
#define ENTRYLO_V               0x00000200
#define ENTRYLO_G               0x00000100

#endif
