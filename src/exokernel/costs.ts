// The kernel's cost model: the cycles each kernel path charges to the clock
// (docs/architecture.md, "Time and determinism"). The kernel runs as TypeScript at
// the exception vectors, so its time is not measured as it runs; instead each
// path is written as the MIPS I sequence Aegis would run (src/exokernel/asm,
// assembled into src/exos/images/kernel-paths.elf by `npm run guest`), and
// test/exokernel/costs.test.ts runs each on the emulated CPU, checks that it
// does the path's work, and checks that its constant here is the number of
// cycles it took. The constants are those measurements, not the paper's.
//
// One cost model for kernel and user code, as the emulator runs guest code:
// one cycle an instruction, plus the R3000's multiply/divide interlock (an
// mfhi/mflo waits until 12 cycles after a mult/multu or 35 after a
// div/divu issued: R3000 manual, "Multiply and divide"; src/emu/mul.ts).
// Not modelled, for either: caches (the paper's figures are warm-cache),
// the write buffer's stalls, and load delay slots count as the nops that
// fill them. At 25 MHz one cycle is 40 ns. The paper's figures are for a
// DECstation 5000/125 at 25 MHz.

export const Costs = {
  /**
   * Dispatching an exception to the library OS, from the general vector to
   * the handler's first instruction: asm/vector.S (8) + asm/dispatch.S.
   * The paper's figure is 18 instructions (sec. 5.2); ours also checks the
   * save area's busy word and passes BadVAddr only for the causes that set
   * it, with the load-delay and CP0 nops the R3000 needs.
   */
  DISPATCH: 42,
  /**
   * A TLB refill served from the STLB: asm/refill.S from the UTLB vector to
   * the faulting instruction, after a miss in the guaranteed table (trap.ts
   * looks there first): hash ASID and VPN, load, compare the tag, tlbwr, rfe.
   * 37 instructions and 10 cycles the hash's mflo waits for its multu.
   */
  STLB_REFILL: 47,
  /** A refill from the environment's guaranteed mappings: asm/refill.S, a hit on the first probe. */
  GUARANTEED_REFILL: 21,
  /**
   * Entering the kernel for a system call and returning, for the null
   * call: asm/vector.S + asm/syscall.S (delay-slot check, bound v0, jump
   * through systab, the caller's sp/ra kept, the body called, EPC + 4, rfe).
   */
  SYSCALL: 39,
  /**
   * Of SYSCALL, the entry alone: vector to the jump through systab
   * (asm/vector.S + sys_entry). A call with its own systab entry that does
   * not return through sys_call (PCT, directed yield) costs this plus its
   * body.
   */
  SYSCALL_ENTRY: 19,
  /**
   * The body of tlb_map on top of SYSCALL: asm/tlbmap.S (flags, user page,
   * EntryLo, frame bound, the 64-bit key, write right for D; tlbp and drop
   * the old entry, tlbwr, the STLB slot). 56 instructions and 10 cycles the
   * STLB hash's mflo waits for its multu.
   */
  TLB_MAP: 66,
  /**
   * The kernel's copy loop, asm/copy.S kcopy (a cputs buffer in, console
   * input out, an image's segments into a new environment's frames): the
   * call with nothing to copy. The cycles of a copy are copyCycles() below.
   */
  COPY_SETUP: 22,
  /** kcopy: per byte of the head (to the destination's next word) and of the tail (lbu, two addiu, bne, sb). */
  COPY_BYTE: 5,
  /** kcopy: per 4-byte word between them (lw, two addiu, bne, sw). */
  COPY_WORD: 5,
  /**
   * The clock interrupt's context switch, end to end: asm/switch.S from
   * ctx_switch (a slice ends, no epilogue) to the next environment's
   * instruction; CONTEXT_SAVE + SLICE_NEXT + CONTEXT_RESTORE, each measured
   * apart too. sched.ts charges the parts where they happen: the save where
   * the kernel saves an environment (a slice or its grace ends, sys_yield,
   * net_wait), the pick in advance(), the restore (or SLICE_PROLOGUE) in
   * startEnv(); so a slice start after an idle or an exit, with nothing to
   * save, costs no save, and a directed yield into a saved context only
   * the restore.
   */
  CONTEXT_SWITCH: 121,
  /** Saving the running environment: 29 general registers (not zero, k0, k1), HI, LO, EPC, Status. asm/switch.S ctx_switch. */
  CONTEXT_SAVE: 42,
  /** The next slot's owner from the slice vector, runnable at the first probe; its penalty, ticks, ASID: asm/switch.S ctx_next. */
  SLICE_NEXT: 37,
  /** ctx_next: per slot probed before the one taken (a free slot, or see SLICE_WAITING). */
  SLICE_PROBE: 12,
  /** ctx_next: on top of SLICE_PROBE, a probed slot whose owner cannot run (its state read and tested). */
  SLICE_WAITING: 5,
  /** ctx_next: a slot whose owner's penalty swallows the whole slice, probed and skipped. */
  SLICE_SKIP: 26,
  /** Restoring an environment from its context block (HI, LO, Status, 29 registers) and rfe at its EPC: asm/switch.S ctx_restore. */
  CONTEXT_RESTORE: 42,
  /** Entering the prologue of an environment that saved itself instead (a0, a1 = the slot's cycles, the rest cleared): asm/switch.S ctx_prologue. */
  SLICE_PROLOGUE: 35,
  /**
   * Protected control transfer after SYSCALL_ENTRY, as Aegis does it:
   * asm/pct.S, from systab's jump to the callee's entry. Checks the callee, records where the caller resumes, switches
   * the address space and enters the callee's PCT entry with every general
   * register as the message: no register is saved. sched.ts's pct() charges
   * this (with SYSCALL_ENTRY; a PCT never takes sys_call's exit) and saves
   * nothing (abi.ts, PctSync).
   */
  PCT: 45,
  /**
   * Directed yield after SYSCALL_ENTRY: asm/yield.S, from systab's jump to the target's prologue. Checks the target,
   * records where the caller resumes, switches the address space, clears
   * the registers the target would otherwise see of the caller's (27), and
   * enters the target's prologue. No register is saved. sched.ts's
   * yieldTo() charges this (with SYSCALL_ENTRY), and CONTEXT_RESTORE on top
   * only when the target resumes from a context the kernel saved of it
   * (at a clock interrupt, say), not when it enters its prologue or left
   * by a yield_to or PCT of its own (nothing saved: its registers are
   * cleared, which this sequence does).
   */
  YIELD: 53,
  /** Delivering an upcall (prologue, epilogue, revocation) from inside the kernel: asm/upcall.S. */
  UPCALL: 26,
  /** The clock interrupt in the middle of a slice, vector to return: asm/vector.S + asm/interrupt.S. */
  CLOCK_INTERRUPT: 29,
  /** The LANCE's interrupt, vector to the receive loop (acknowledging CSR0): asm/net.S net_intr. */
  NET_INTERRUPT: 22,
  /** Per DPF atom the classification visits (bounds check, load, mask, compare): asm/net.S dpf_atoms. */
  DPF_ATOM: 8,
  /**
   * Per DPF hash-table node the classification visits (sibling == atoms on
   * one field merged into a table: dpf/hash.ts), besides its chain: bounds
   * check, load, mask, the multiplicative hash (multu, then mflo waits out
   * the multiply: 17 instructions and 9 stalled cycles), the bucket:
   * asm/dpfhash.S dpf_hash, measured as the miss on an empty bucket.
   */
  DPF_HASH: 26,
  /** Per entry of a hash bucket's chain compared (its key, child, next; jump to the child or go on): asm/dpfhash.S. */
  DPF_HASH_ENTRY: 7,
  /**
   * The classifier DPF replaced, for comparison only (the kernel never runs
   * it): an MPF-style filter that interprets each installed filter in turn,
   * asm/mpf.S. Per atom interpreted: decode its words, bounds-check, load
   * the field as four bytes, shift it to its width, mask, compare.
   */
  MPF_ATOM: 31,
  /** MPF: per filter that fails, besides its atoms (its atom list, the base, the count, the branch on). asm/mpf.S. */
  MPF_FILTER: 8,
  /** MPF: the call, the accepting filter's entry and end marker, the return; besides its atoms. asm/mpf.S. */
  MPF_MATCH: 17,
  /** Per word copied between the LANCE's buffers and memory (a ring slot, or a transmit buffer): asm/net.S. */
  RING_COPY_WORD: 5,
  /**
   * Per frame put in a ring, besides its words: claim the slot, the length
   * word, publish the head (asm/net.S ring_copy): 22 instructions and 45
   * cycles waiting on the slot's divu (head % slots) and multu (x slot size).
   */
  RING_SLOT: 67,
  /** Handing a frame to an ASH (its address space, a0/a1, user mode at its entry): asm/net.S ash_enter. */
  ASH_SETUP: 14,
  /** net_send after its checks, besides the words copied: the descriptor and TDMD (asm/net.S net_transmit); 11 of the cycles wait on the buffer's multu. */
  TRANSMIT: 43,
  /**
   * Making an environment, its bookkeeping besides its frames: asm/env.S
   * env_create (envtab, its record and key, its 32 handlers, context block
   * and 64 guaranteed slots cleared, its info and repository pages bound,
   * the info page's fixed words), with no frame-table page bound. Not in
   * it: issuing the key and seed (SipHash), argument strings, slices.
   * test/exokernel/frame-costs.test.ts.
   */
  ENV_CREATE: 232,
  /** env_create: per page of the frame table's mirror bound into the new environment (kernel.ts frameTableFrames). */
  ENV_FT_PAGE: 12,
  /**
   * Destroying an environment, its bookkeeping besides its frames
   * (FRAME_FREE each) when it never had an ASID: asm/env.S env_destroy
   * (frames_free's call, envtab, its record marked free).
   */
  ENV_DESTROY: 24,
  /**
   * env_destroy, on top of ENV_DESTROY, for an environment with an ASID:
   * forget every mapping made under it (bindings.ts flushAsid), each of the
   * 64 TLB entries read and written back (23 cycles) and each of the
   * STLB's 4096 slots (11), the empty tag where its ASID is; branch-free,
   * so it costs the same whatever was mapped. The STLB scan is 97% of it:
   * the TypeScript kernel's flush scans the whole STLB too (stlb.ts
   * removeWhere).
   */
  ASID_FLUSH: 46537,
  /**
   * Per frame an environment is given at creation (env.ts ownFrame),
   * besides zeroing it (ZERO_FRAME): asm/frame.S frame_claim takes the
   * frame at the free hint, writes its table entry (owner, key, rights)
   * and the mirror entry user level maps, and binds it in the page's
   * guaranteed slot. test/exokernel/frame-costs.test.ts.
   */
  FRAME_CLAIM: 39,
  /**
   * Per frame freed when its environment is destroyed (env.ts
   * destroyEnv): a turn of asm/frame.S frames_free (its entry and mirror
   * entry cleared, the free hint lowered to it). Its bindings by the
   * environment go with the environment's ASID and guaranteed table, once
   * (ASID_FLUSH; env_create clears the table for the slot's next owner). Measured at several counts: test/exokernel/frame-costs.test.ts.
   */
  FRAME_FREE: 17,
  /**
   * Zeroing a 4 KiB frame before it changes owner (scrub.ts): asm/copy.S
   * kzero, measured: eight `sw zero` a turn with addiu and bne (the last
   * store in the delay slot), 128 turns = 1280, plus the bound and the
   * return = 1283. The R3000's write buffer would add stalls when memory is
   * slower than one store a cycle; as for every store (kcopy's too), the
   * model leaves them out.
   */
  ZERO_FRAME: 1283,
  /**
   * DPF: per trie node a dpf_insert or dpf_remove walks, makes or frees:
   * compare the atom's four words with each child's (or hash the value and
   * follow one chain), link or unlink, update the filter set and rank. Our
   * count of that in MIPS I: about 25 instructions (Xok's dpf_insert does
   * the same walk in C).
   */
  DPF_INSERT_ATOM: 25,
  /**
   * DPF: per installed filter the conflict rule compares a new filter with:
   * look up the first shared byte rule of the two footprints and test it.
   * About 20 instructions (the common case stops at the first byte that
   * differs).
   */
  DPF_CONFLICT: 20,
  /**
   * DPF: per trie node on the path an insert or remove changed, whose code
   * is generated again: DPF emits about 4 instructions per atom (load,
   * mask, compare, branch) from templates at about 10 instructions of
   * generator work each (DPF paper, sec. 4: VCODE generates code at about
   * 10 instructions per instruction generated): 40. Charged at the insert
   * or remove, as Xok regenerates at once; exoscope compiles later, when
   * packets come, which the guest does not see.
   */
  DPF_COMPILE_NODE: 40,
} as const;

/**
 * Cycles asm/copy.S's kcopy takes to copy `len` bytes between buffers at
 * byte `offset` in a word (both the same): its head bytes to the next word,
 * whole words, tail bytes. test/exokernel/switch-costs.test.ts checks it
 * against the loop at every offset.
 */
export function copyCycles(len: number, offset: number): number {
  const head = Math.min(len, (4 - (offset & 3)) & 3), words = (len - head) >>> 2, tail = (len - head) & 3;
  return Costs.COPY_SETUP + (head + tail) * Costs.COPY_BYTE + words * Costs.COPY_WORD;
}
