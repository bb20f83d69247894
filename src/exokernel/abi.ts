// The ABI between the exokernel and a library OS, defined once. The C header
// the guests include (src/exos/include/aegis.h) is generated from this file
// by scripts/gen-abi-header.mjs (`npm run abi`); a test fails when it is
// stale. Every call is documented here and nowhere else.
//
// System calls: `syscall` with the call number in v0 and arguments in
// a0..a3; the result comes back in v0, a negative value being an error code
// (Err). Only v0 is changed; the kernel returns to the instruction after the
// syscall. An unknown number returns Err.NoSys; it never harms the kernel.
//
// Exceptions other than system calls and TLB misses the STLB serves are
// dispatched to the environment in user mode, the Aegis way (paper, sec.
// 5.2): the kernel stores EPC, Cause, BadVAddr and the three scratch
// registers at, a0 and a1 in the environment's save area, sets
//   a0 = Cause, a1 = BadVAddr, at = the save area's virtual address,
// sets the save area's `busy` word to 1 and jumps to the handler the
// environment registered for that exception code. BadVAddr (saved and in
// a1) is the faulting address for the exceptions that set it (Mod, TLBL,
// TLBS, AdEL, AdES) and 0 for every other: the CPU's register would still
// hold an earlier fault's address, perhaps another environment's. The handler returns to
// the faulting code itself, without entering the kernel: it clears `busy`,
// reloads at/a0/a1 from the save area and jumps to the saved EPC (k0 and k1
// are the kernel's in the MIPS ABI, so the handler may use them for that).
// An exception while `busy` is 1, an exception with no handler registered,
// or a save area that is not mapped destroys the environment, with an event
// naming the reason.

/** System call numbers (v0). */
export const Sys = {
  /** null(): returns 0. For measuring the cost of a kernel entry. */
  Null: 0,
  /**
   * cputs(a0 = buf, a1 = len): writes len bytes to the environment's console.
   * Returns len. Errors: Inval (len out of 0..CPUTS_MAX), Fault (buf unmapped).
   */
  Cputs: 1,
  /** exit(a0 = status): destroys the calling environment; never returns. */
  Exit: 2,
  /** getenvid(): returns the calling environment's id. */
  GetEnvId: 3,
  /**
   * frame_alloc(a0 = frame or -1 for any, a1 = key low word, a2 = key high
   * word): allocates a physical frame by name (or the lowest free one) and
   * records the 64-bit key the library OS chose as the owner's read-write
   * capability. The frame comes zeroed: the kernel clears every frame
   * before a new owner can bind it, whoever had it before (the cost is
   * charged to the caller). Returns the frame number. Errors: Inval (no
   * such frame), Busy (owned), NoMem (none free).
   */
  FrameAlloc: 4,
  /**
   * frame_free(a0 = frame): the owner gives a frame back. Every binding of
   * it, in any environment, is broken first. Errors: Inval, Perm (not the owner).
   */
  FrameFree: 5,
  /**
   * frame_grant(a0 = frame, a1 = rights (Rights), a2/a3 = key): the owner
   * adds a capability with those rights to the frame's access list. Handing
   * the key to another environment is the library OS's business (shared
   * memory, arguments): the kernel takes no part in it. Errors: Inval,
   * Perm (not the owner), NoSpc (access list full).
   */
  FrameGrant: 6,
  /**
   * frame_rekey(a0 = frame): the owner removes every capability but its own
   * and breaks every other environment's bindings of the frame. Errors: Inval, Perm.
   */
  FrameRekey: 7,
  /**
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
  TlbMap: 8,
  /**
   * tlb_unmap(a0 = virtual page): deletes the caller's mapping of that page
   * everywhere. Errors: Inval (kernel address, the info page or the frame
   * table), NoEnt (no mapping).
   */
  TlbUnmap: 9,
  /** tlb_read(a0 = virtual page): returns the EntryLo the kernel holds for it. Errors: Inval (kernel address), NoEnt. */
  TlbRead: 10,
  /**
   * set_handler(a0 = exception code 1..12 (ExcCode), a1 = user pc, word
   * aligned): registers the handler for that exception. Codes 0 (interrupts)
   * and 8 (system calls) are the kernel's and refused. Errors: Inval.
   */
  SetHandler: 11,
  /**
   * set_savearea(a0 = virtual address, word aligned, SAVE_SIZE bytes inside
   * one page): where the kernel saves state on dispatch. The page must be a
   * guaranteed writable mapping now (else Inval) and still be one when an
   * exception comes, or the environment dies. Errors: Inval.
   */
  SetSaveArea: 12,
  /** yield(): gives up the rest of the time slice. Returns 0. */
  Yield: 13,
  /**
   * cgets(a0 = buf, a1 = max): moves up to max bytes of console input that
   * have arrived for the environment into buf. Returns the number moved (0
   * when none is waiting; it never blocks). Errors: Inval (max out of
   * 0..CPUTS_MAX), Fault (buf not writable).
   */
  Cgets: 14,
  /**
   * set_upcall(a0 = Upcall kind, a1 = user pc, word aligned; 0 removes it):
   * registers an entry of the interrupt context (prologue, epilogue), of
   * revocation (revoke, repossess) or of the protected entry context (pct).
   * Errors: Inval.
   */
  SetUpcall: 15,
  /**
   * slice_alloc(a0 = first slot or -1 for any, a1 = count 1..SLICES,
   * a2 = spacing: 0 any free slots, 1 adjacent, k >= 2 every k-th slot
   * (wrapping)): allocates time slices by position. Returns the first slot
   * allocated. Errors: Inval, Busy (a slot asked for by position is taken),
   * NoSpc (not enough free slots).
   */
  SliceAlloc: 16,
  /** slice_free(a0 = slot): gives a slice back. Errors: Inval, Perm (not the caller's). */
  SliceFree: 17,
  /**
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
  YieldTo: 18,
  /**
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
  PctSync: 19,
  PctAsync: 20,
  PctReply: 21,
  /**
   * ring_create(a0 = virtual address of a packet ring (page aligned, in
   * guaranteed writable mappings of the caller, RING_PAGES_MAX pages at
   * most), a1 = number of slots, a2 = slot size in bytes (a multiple of 4,
   * RING_SLOT_MIN..RING_SLOT_MAX)): registers a packet ring (Ring layout).
   * Returns its ring id. Errors: Inval, NoSpc (RINGS_MAX rings already).
   */
  RingCreate: 22,
  /**
   * dpf_insert(a0 = pointer to the filter's atoms (DpfAtom layout, 16
   * bytes each), a1 = number of atoms (1..DPF_ATOMS_MAX), a2 = ring id,
   * a3 = ASH entry pc or 0): adds a dynamic packet filter; packets it
   * accepts land in the ring. A filter that would take packets another
   * environment's filter already claims is refused (Busy; the rule is in
   * src/exokernel/dpf). With an ASH, the kernel runs that code on each
   * matching packet before the ring sees it (Ash). Returns the filter id.
   * Errors: Inval, Fault, Busy, NoSpc (DPF_FILTERS_MAX filters).
   */
  DpfInsert: 23,
  /** dpf_remove(a0 = filter id): removes one of the caller's filters. Errors: Inval, Perm. */
  DpfRemove: 24,
  /**
   * net_send(a0 = buffer, a1 = length 14..1514): transmits an Ethernet frame
   * the caller built (the kernel checks that the buffer is the caller's
   * mapped memory, and nothing else). Returns the length. Errors: Inval, Fault.
   */
  NetSend: 25,
  /**
   * net_wait(a0 = most cycles to wait, 0 for none): blocks until a packet
   * lands in one of the caller's rings or the time is up. Returns the number
   * of packets waiting in its rings.
   */
  NetWait: 26,
} as const;

/**
 * A packet ring in the library OS's memory (byte offsets). The kernel writes
 * slot `head % slots` and then advances `head`; the library OS reads slot
 * `tail % slots` and advances `tail`. A slot holds the frame's length (a
 * word) then the frame. When head - tail == slots the packet is dropped and
 * `dropped` counts it.
 */
export const Ring = {
  HEAD: 0,
  TAIL: 4,
  SLOTS: 8,
  SLOT_SIZE: 12,
  DROPPED: 16,
  /** The first slot. */
  DATA: 32,
} as const;

/** Limits of packet rings. */
export const RINGS_MAX = 8;
export const RING_PAGES_MAX = 16;
export const RING_SLOT_MIN = 64;
export const RING_SLOT_MAX = 1536;

/**
 * One DPF atom (Engler and Kaashoek, DPF, SIGCOMM 1996), four words.
 * word 0: kind (bits 7:0: DpfKind), width in bytes (bits 15:8: 1, 2 or 4),
 * offset (bits 31:16) from the current base; word 1: mask; word 2: value
 * (Compare: the masked field must equal it) or shift (Shift: the base moves
 * forward by (field & mask) << shift bytes, for variable-length headers);
 * word 3: zero. Fields are big-endian, as on the wire.
 */
export const DpfAtom = {
  SIZE: 16,
  KIND_MASK: 0xff,
  WIDTH_SHIFT: 8,
  OFFSET_SHIFT: 16,
} as const;

/** Kinds of DPF atoms. */
export const DpfKind = {
  Compare: 1,
  Shift: 2,
} as const;

/** Most atoms in one filter and most filters in all (DPF 2.0: 256 and 256). */
export const DPF_ATOMS_MAX = 256;
export const DPF_FILTERS_MAX = 256;

/**
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
export const ASH_BUDGET = 2_000;
export const ASH_RETURN = 0x7ffff000;

/** Upcall kinds (set_upcall a0). */
export const Upcall = {
  /**
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
  Prologue: 1,
  /**
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
  Epilogue: 2,
  /**
   * A revocation request (visible revocation): dispatched like an
   * exception with a0 = RevokeKind, a1 = how many; the details are in the
   * repossession page (Repo). Give back before the deadline (frame_free or
   * slice_free) or the abort protocol takes them.
   */
  Revoke: 3,
  /**
   * The abort protocol took resources: dispatched like an exception with
   * a0 = frames taken, a1 = slices taken; the repossession page lists them.
   */
  Repossess: 4,
  /** The protected entry (PCT): see pct_sync. */
  Pct: 5,
} as const;

/** What a revocation asks for (Revoke upcall a0, Repo.REQ_KIND). */
export const RevokeKind = {
  Frames: 1,
  Slices: 2,
} as const;

/** Number of slots in the time-slice vector (Xok: 128). */
export const SLICES = 128;

/** Epilogue overruns in a row after which an environment is destroyed. */
export const OVERRUN_LIMIT = 3;

/**
 * The repossession page (read-only, at Layout.REPO): the request being made
 * and the repossession vector, which records what the abort protocol took.
 * Byte offsets.
 */
export const Repo = {
  /** The pending request: RevokeKind or 0 for none. */
  REQ_KIND: 0,
  /** How many frames or slices are asked for. */
  REQ_COUNT: 4,
  /** Cycles left, when the request was made, before the abort protocol. */
  REQ_WINDOW: 8,
  /** Repossessions so far (the library OS compares it with the last it saw). */
  TAKEN_SEQ: 16,
  /** Number of entries in the vector below. */
  TAKEN_COUNT: 20,
  /**
   * The vector: what the abort protocol took since the last Repossess upcall
   * was delivered, TAKEN_MAX entries of TAKEN_ENTRY bytes: the frame (or
   * slot) and the virtual address of the page it was bound at (0 for a slot
   * or an unbound frame). The upcall's a0/a1 count the same entries.
   */
  TAKEN: 32,
  TAKEN_ENTRY: 8,
  TAKEN_MAX: 500,
} as const;

/** Longest cputs or cgets the kernel accepts in one call. */
export const CPUTS_MAX = 1024;

/** Number of system calls; numbers at or past it return Err.NoSys. */
export const SYS_COUNT = 27;

/** Error codes (negative results in v0). */
export const Err = {
  /** An argument is out of range, misaligned or names nothing. */
  Inval: -1,
  /** The caller does not own what it names. */
  Perm: -2,
  /** The key is not a capability for the frame. */
  Cap: -3,
  /** No free frame. */
  NoMem: -4,
  /** The frame is owned by someone; or the call cannot be made now (a callee in its handler, a caller in its epilogue). */
  Busy: -5,
  /** A table is full. */
  NoSpc: -6,
  /** No such mapping. */
  NoEnt: -7,
  /** A pointer argument does not point at the caller's mapped memory. */
  Fault: -8,
  /** No such system call. */
  NoSys: -9,
} as const;

/** Rights a capability carries (frame_grant a1). */
export const Rights = {
  Read: 1,
  Write: 2,
  ReadWrite: 3,
} as const;

/** Flags in the low bits of tlb_map's a0 (the page offset bits, otherwise zero). */
export const MapFlag = {
  Guaranteed: 1,
} as const;

/** The save area: word offsets (bytes = 4 x index). */
export const Save = {
  EPC: 0,
  /** Cause of the exception; 0 for an upcall. */
  Cause: 1,
  /** The faulting address for Mod, TLBL, TLBS, AdEL and AdES; 0 for any other exception and for an upcall. */
  BadVAddr: 2,
  AT: 3,
  A0: 4,
  A1: 5,
  /** 1 from dispatch until the handler clears it; an exception meanwhile is fatal. */
  Busy: 6,
} as const;

/** Size of the save area in bytes. */
export const SAVE_SIZE = 32;

/**
 * Most guaranteed mappings an environment may hold (Xok: "five to ten
 * pages"; more for the image), counting its image and stack but not the
 * pages the kernel maps for itself (info page, repossession page, frame
 * table): those grow with RAM and are no choice of the library OS.
 */
export const GUARANTEED_MAX = 48;

/**
 * The user address space every environment starts with (virtual addresses).
 * The kernel maps the image, the stack, the info page and the frame table as
 * guaranteed mappings before the first instruction.
 */
export const Layout = {
  /** Where ExOS programs are linked (kuseg). */
  TEXT: 0x00400000,
  /** Start of the region ExOS hands out as demand-zero heap. */
  HEAP: 0x10000000,
  /** Top of the initial stack (it grows down). */
  STACK_TOP: 0x7fe00000,
  /** Pages of stack the kernel maps at creation. */
  STACK_PAGES: 4,
  /** The frame table, read-only (FRAME_ENTRY bytes a frame). */
  FRAMES: 0x7fe00000,
  /** The environment's info page, read-only (Info offsets). */
  INFO: 0x7fff0000,
  /** The repossession page, read-only (Repo offsets). */
  REPO: 0x7ffe0000,
  /** Size of a page. */
  PAGE: 4096,
} as const;

/** Byte offsets in the info page. */
export const Info = {
  /** The environment's id. */
  ENVID: 0,
  /** Its ASID (0..63). */
  ASID: 4,
  /**
   * The 64-bit key the kernel gave the frames it allocated at creation (low,
   * high): a SipHash-2-4 output under a kernel secret that never reaches
   * guest memory, so nothing a guest can read predicts another
   * environment's key (docs/protection.md).
   */
  KEY_LO: 8,
  KEY_HI: 12,
  /** Number of frames in the machine. */
  NFRAMES: 16,
  /** argc, then ARGV: up to 8 pointers (virtual addresses inside the info page) into the ARGS string area. */
  ARGC: 20,
  ARGV: 24,
  /** The Ethernet address of the machine's LANCE, 6 bytes (then 2 zero bytes). */
  MAC: 64,
  /** The argument strings. */
  ARGS: 128,
  /**
   * 64 bits of seed for the library OS's own use, from a stream keyed
   * independently of the keys (it says nothing about any key). Fixed, like
   * the keys, by the scenario's seed.
   */
  SEED_LO: 56,
  SEED_HI: 60,
} as const;

/** Most arguments an environment gets. */
export const ARGV_MAX = 8;

/** One frame-table entry: 4 bytes, little-endian. */
export const FrameEntry = {
  /** Owner environment id, bits 15:0 (0 = free, 0xffff = the kernel). */
  OWNER_MASK: 0xffff,
  /** Number of granted capabilities, bits 23:16. */
  GRANTS_SHIFT: 16,
  /** Flags, bits 31:24. */
  FLAG_GUARANTEED: 0x01000000,
  SIZE: 4,
} as const;

/** Owner value of a kernel frame in the frame table. */
export const KERNEL_OWNER = 0xffff;

/**
 * The C prototype of each system call's stub (src/exos/lib/syscall.S), as
 * `return (parameters)`, with ` noreturn` for a call that never returns;
 * aegis.h declares `sys_<name>` from it, so the guests' prototypes and the
 * numbers come from this one file. The protected control transfers take
 * the target in v1 and the message in every other register, which C cannot
 * express: null, their stubs are not for C (src/exos/lib/pct.h).
 */
export const SYS_C: { readonly [K in keyof typeof Sys]: string | null } = {
  Null: 'int (void)',
  Cputs: 'int (const char *buf, uint32_t len)',
  Exit: 'void (int status) noreturn',
  GetEnvId: 'int (void)',
  FrameAlloc: 'int (int frame, uint32_t key_lo, uint32_t key_hi)',
  FrameFree: 'int (uint32_t frame)',
  FrameGrant: 'int (uint32_t frame, uint32_t rights, uint32_t key_lo, uint32_t key_hi)',
  FrameRekey: 'int (uint32_t frame)',
  TlbMap: 'int (uint32_t va_flags, uint32_t entrylo, uint32_t key_lo, uint32_t key_hi)',
  TlbUnmap: 'int (uint32_t va)',
  TlbRead: 'int (uint32_t va)',
  SetHandler: 'int (uint32_t code, uint32_t pc)',
  SetSaveArea: 'int (uint32_t va)',
  Yield: 'int (void)',
  Cgets: 'int (char *buf, uint32_t max)',
  SetUpcall: 'int (uint32_t kind, uint32_t pc)',
  SliceAlloc: 'int (int slot, uint32_t count, uint32_t spacing)',
  SliceFree: 'int (uint32_t slot)',
  YieldTo: 'int (int envid)',
  PctSync: null,
  PctAsync: null,
  PctReply: null,
  RingCreate: 'int (uint32_t va, uint32_t slots, uint32_t slot_size)',
  DpfInsert: 'int (const void *atoms, uint32_t natoms, uint32_t ring, uint32_t ash_pc)',
  DpfRemove: 'int (uint32_t filter)',
  NetSend: 'int (const void *frame, uint32_t len)',
  NetWait: 'int (uint32_t cycles)',
};
