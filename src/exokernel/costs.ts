// The kernel's cost model: the cycles each kernel path charges to the clock
// (docs/architecture.md, "Time and determinism"). The kernel runs as TypeScript at
// the exception vectors, so its time is not measured but modeled: one
// constant per path, each with where its value comes from. At 25 MHz one
// cycle is 40 ns. The paper's figures are for a DECstation 5000/125 at 25 MHz.

export const Costs = {
  /**
   * Dispatching an exception to the library OS: 18 instructions (Aegis paper,
   * sec. 5.2 and table 4: "18 instructions", 1.5 us on a 5000/125).
   */
  DISPATCH: 18,
  /**
   * A TLB refill served from the STLB: hash ASID and VPN, load the entry,
   * compare the tag, tlbwr, restore and rfe. Our count of that sequence in
   * MIPS I: about 15 instructions (the Aegis paper, sec. 5.3, gives no figure
   * for the hit path; Xok's UTLB handler is of the same length).
   */
  STLB_REFILL: 15,
  /** A refill from the environment's guaranteed mappings: the same path plus a table walk, about 20. */
  GUARANTEED_REFILL: 20,
  /**
   * Entering the kernel for a system call and returning: the trap, saving the
   * return state, decoding v0, rfe. Our estimate, about 40 instructions;
   * reference/exokernel.md has no figure for Aegis's null call to take.
   */
  SYSCALL: 40,
  /**
   * The secure binding check of tlb_map: look up the frame, compare the
   * 64-bit key against its access list, write TLB and STLB. Our estimate:
   * about 30 instructions on top of SYSCALL.
   */
  TLB_MAP: 30,
  /** Copying one byte of a system call's buffer (cputs): one load and one store. */
  COPY_BYTE: 2,
  /**
   * Switching environments on a clock interrupt: save and restore 32
   * registers, HI/LO and EPC, change the ASID. About 2 x 35 loads and stores
   * plus bookkeeping: 80. Issue 6 replaces this with the paper's prologue
   * and epilogue upcalls.
   */
  CONTEXT_SWITCH: 80,
  /** Creating or destroying an environment (bookkeeping, not the frames): our estimate. */
  ENV_LIFECYCLE: 200,
  /** Per frame freed or bound at creation: clear its table entry and any bindings. */
  PER_FRAME: 10,
  /**
   * Zeroing a 4 KiB frame before it changes owner (scrub.ts): the MIPS I
   * loop that would do it stores a word per `sw zero` and is unrolled 8
   * times, so 1024 sw plus 128 x (addiu + bne; the last sw fills the
   * delay slot) = 1280, plus about 6 to set up the bounds and return. The
   * R3000's write buffer would add stalls when memory is slower than one
   * store a cycle; like COPY_BYTE, the model leaves them out.
   */
  ZERO_FRAME: 1024 + 2 * 128 + 6,
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
