// The R3000A's interpreter (cpu.ts holds the CPU's state, exceptions and
// run loop; mmu.ts its address translation): one switch on the opcode, with
// the mnemonic on every case, as MAME's mips1.cpp decodes (R30xx manual,
// ch. 2 "Instruction set"). These functions are methods of `Cpu`, set on its
// prototype (cpu.ts): V8 inlines `this.opcode(w)` and the other field
// extractors as prototype constants, which it does not for a module
// function (see cpu.ts on the extractors).
//
// Pipeline effects that software can see are modeled exactly (cpu.ts):
// branch delay slots, the load delay slot (a loaded value lands after the
// next instruction unless that instruction wrote the register; lwl/lwr
// merge with a value still in flight), the HI/LO interlock (mul.ts).

import { Access, F64, FirmwareResult, I32, type Cpu } from './cpu.js';
import { ExcCode, Status } from './cp0.js';
import { cp0Read, cp0Write, rfe, tlbp, tlbr, tlbwi, tlbwr } from './cp0ops.js';
import { FAULT, ISOLATED, NO_TAG } from './mmu.js';
import { DIV_LATENCY, MULT_LATENCY, div, divu, hilo, mult, multu } from './mul.js';
import { lwlMerge, lwrMerge, swlMerge, swrMerge } from './unaligned.js';

/**
 * A multiply or divide issued this cycle (`cycles` already counts it): its
 * result (hilo) goes to HI/LO, ready `latency` cycles after it issued.
 */
export function hiloIssued(this: Cpu, latency: number): void {
  this.hi = hilo[0]; this.lo = hilo[1];
  this.hiloReady = this.cycles - 1 + latency;
}

/** An mfhi/mflo issued this cycle: stalls (cycles, not instructions) until the result is ready. */
export function hiloWait(this: Cpu): void {
  if (this.cycles - 1 < this.hiloReady) this.cycles = this.hiloReady + 1;
}

/**
 * Interprets until `cycles` reaches `stepLimit` or a stop; the translator
 * sets `stepLimit` to run a few instructions here. A breakpoint stops the
 * whole run (limit 0, reason "breakpoint").
 *
 * The loop indexes the i32/f64 slots itself instead of going through the
 * accessors (pc, npc, cycles...): V8 inlines every call here from one
 * shared budget of bytecode per function, and spent on accessors and
 * field extractors it leaves mult/multu as calls (--trace-turbo-inlining).
 */
export function interpret(this: Cpu): void {
  const r = this.regs, i32 = this.i32, f64 = this.f64;
  const bus = this.bus;
  const ram32 = bus.ram32, ram16 = bus.ram16, ram8 = bus.ram8;
  const ramSize = bus.ramSize;
  while (f64[F64.CYCLES] < f64[F64.STEP_LIMIT]) {
    if (this.intReady) { this.raise(ExcCode.Int); continue; }
    const pc = i32[I32.PC];
    if (this.debugArmed) {
      if (this.bpArmed && this.breakpoints.has(pc >>> 0)) {
        if (this.skipBreakpoint === pc) this.skipBreakpoint = NO_TAG;
        else { this.stopReason = 'breakpoint'; this.limit = this.stepLimit = 0; break; }
      }
      if (this.watchArmed && this.watched(pc)) {
        if (this.skipWatch === pc) this.skipWatch = NO_TAG;
        else { this.stopReason = 'watchpoint'; this.limit = this.stepLimit = 0; break; }
      }
    }
    let pa: number;
    if ((pc & 0xfffff003) === this.fTag) pa = this.fBase | (pc & 0xffc);
    else if ((pc & 3) !== 0) { f64[F64.CYCLES]++; this.addressError(pc, Access.Fetch); continue; }
    else { pa = this.translate(pc, Access.Fetch); if (pa < 0) { f64[F64.CYCLES]++; continue; } }
    let w: number;
    if (pa < ramSize) w = ram32[pa >>> 2];
    else {
      if (this.firmwareHook) {
        this.commitLoads();
        const fr = this.firmwareHook(pa);
        if (fr === FirmwareResult.Returned) { f64[F64.CYCLES]++; f64[F64.INSTRET]++; this.jump(r[31]); continue; }
        if (fr === FirmwareResult.Stay) { f64[F64.CYCLES]++; continue; }
      }
      w = bus.read(pa, 4) | 0;
      if (bus.fault) { bus.fault = false; f64[F64.CYCLES]++; this.raise(ExcCode.IBE); continue; }
    }
    f64[F64.CYCLES]++;
    f64[F64.INSTRET]++;
    const pendReg = this.ldReg;
    if (pendReg !== 0) { this.pendReg = pendReg; i32[I32.PEND_VAL] = i32[I32.LD_VAL]; this.ldReg = 0; }
    const next = i32[I32.NPC];
    i32[I32.NPC] = (next + 4) | 0;
    let branched = false;
    const op = this.opcode(w);
    const rs = this.rsOf(w), rt = this.rtOf(w);
    let dest = 0;
    switch (op) {
      case 0: { // SPECIAL
        const rd = this.rdOf(w);
        switch (this.funct(w)) {
          case 0: r[rd] = r[rt] << this.sa(w); dest = rd; break; // sll
          case 2: r[rd] = r[rt] >>> this.sa(w); dest = rd; break; // srl
          case 3: r[rd] = r[rt] >> this.sa(w); dest = rd; break; // sra
          case 4: r[rd] = r[rt] << (r[rs] & 31); dest = rd; break; // sllv
          case 6: r[rd] = r[rt] >>> (r[rs] & 31); dest = rd; break; // srlv
          case 7: r[rd] = r[rt] >> (r[rs] & 31); dest = rd; break; // srav
          case 8: i32[I32.NPC] = r[rs]; branched = true; break; // jr
          case 9: { const t = r[rs]; r[rd] = (pc + 8) | 0; dest = rd; i32[I32.NPC] = t; branched = true; break; } // jalr
          case 12: this.raise(ExcCode.Sys); continue; // syscall
          case 13: this.raise(ExcCode.Bp); continue; // break
          case 16: this.hiloWait(); r[rd] = i32[I32.HI]; dest = rd; break; // mfhi
          case 17: i32[I32.HI] = r[rs]; break; // mthi
          case 18: this.hiloWait(); r[rd] = i32[I32.LO]; dest = rd; break; // mflo
          case 19: i32[I32.LO] = r[rs]; break; // mtlo
          case 24: mult(r[rs], r[rt]); this.hiloIssued(MULT_LATENCY); break; // mult
          case 25: multu(r[rs], r[rt]); this.hiloIssued(MULT_LATENCY); break; // multu
          case 26: div(r[rs], r[rt]); this.hiloIssued(DIV_LATENCY); break; // div
          case 27: divu(r[rs], r[rt]); this.hiloIssued(DIV_LATENCY); break; // divu
          case 32: { const s = r[rs] + r[rt]; if (s > 0x7fffffff || s < -0x80000000) { this.raise(ExcCode.Ov); continue; } r[rd] = s; dest = rd; break; } // add
          case 33: r[rd] = (r[rs] + r[rt]) | 0; dest = rd; break; // addu
          case 34: { const s = r[rs] - r[rt]; if (s > 0x7fffffff || s < -0x80000000) { this.raise(ExcCode.Ov); continue; } r[rd] = s; dest = rd; break; } // sub
          case 35: r[rd] = (r[rs] - r[rt]) | 0; dest = rd; break; // subu
          case 36: r[rd] = r[rs] & r[rt]; dest = rd; break; // and
          case 37: r[rd] = r[rs] | r[rt]; dest = rd; break; // or
          case 38: r[rd] = r[rs] ^ r[rt]; dest = rd; break; // xor
          case 39: r[rd] = ~(r[rs] | r[rt]); dest = rd; break; // nor
          case 42: r[rd] = r[rs] < r[rt] ? 1 : 0; dest = rd; break; // slt
          case 43: r[rd] = (r[rs] >>> 0) < (r[rt] >>> 0) ? 1 : 0; dest = rd; break; // sltu
          default: this.raise(ExcCode.RI); continue;
        }
        break;
      }
      case 1: { // REGIMM: bltz bgez bltzal bgezal (rt bit 0: ge; rt bit 4: link)
        if ((rt & 0x0e) !== 0) { this.raise(ExcCode.RI); continue; }
        const v = r[rs];
        if ((rt & 0x10) !== 0) { r[31] = (pc + 8) | 0; dest = 31; }
        if ((rt & 1) !== 0 ? v >= 0 : v < 0) i32[I32.NPC] = (next + (this.simm16(w) << 2)) | 0;
        branched = true;
        break;
      }
      case 2: i32[I32.NPC] = (next & 0xf0000000) | (this.target26(w) << 2); branched = true; break; // j
      case 3: r[31] = (pc + 8) | 0; dest = 31; i32[I32.NPC] = (next & 0xf0000000) | (this.target26(w) << 2); branched = true; break; // jal
      case 4: if (r[rs] === r[rt]) i32[I32.NPC] = (next + (this.simm16(w) << 2)) | 0; branched = true; break; // beq
      case 5: if (r[rs] !== r[rt]) i32[I32.NPC] = (next + (this.simm16(w) << 2)) | 0; branched = true; break; // bne
      case 6: if (r[rs] <= 0) i32[I32.NPC] = (next + (this.simm16(w) << 2)) | 0; branched = true; break; // blez
      case 7: if (r[rs] > 0) i32[I32.NPC] = (next + (this.simm16(w) << 2)) | 0; branched = true; break; // bgtz
      case 8: { const s = r[rs] + this.simm16(w); if (s > 0x7fffffff || s < -0x80000000) { this.raise(ExcCode.Ov); continue; } r[rt] = s; dest = rt; break; } // addi
      case 9: r[rt] = (r[rs] + this.simm16(w)) | 0; dest = rt; break; // addiu
      case 10: r[rt] = r[rs] < this.simm16(w) ? 1 : 0; dest = rt; break; // slti
      case 11: r[rt] = (r[rs] >>> 0) < (this.simm16(w) >>> 0) ? 1 : 0; dest = rt; break; // sltiu
      case 12: r[rt] = r[rs] & this.imm16(w); dest = rt; break; // andi
      case 13: r[rt] = r[rs] | this.imm16(w); dest = rt; break; // ori
      case 14: r[rt] = r[rs] ^ this.imm16(w); dest = rt; break; // xori
      case 15: r[rt] = this.imm16(w) << 16; dest = rt; break; // lui
      case 16: { // COP0
        if ((this.status & (Status.KUc | Status.CU0)) === Status.KUc) { this.raise(ExcCode.CpU, false, 0); continue; }
        const res = this.cop0(w, rs, rt, next);
        if (res < 0) continue;
        if (res === 1) branched = true;
        break;
      }
      case 17: case 18: case 19: // COP1..COP3: no coprocessor is modeled
        this.raise(ExcCode.CpU, false, op - 16); continue;
      case 32: case 33: case 35: case 36: case 37: { // lb lh lw lbu lhu
        const va = (r[rs] + this.simm16(w)) | 0;
        const size = op & 3; // 0 byte, 1 half, 3 word
        if ((va & size) !== 0) { this.addressError(va, Access.Load); continue; }
        if ((va & 0xfffff000) === this.lTag) pa = this.lBase | (va & 0xfff);
        else { pa = this.translate(va, Access.Load); if (pa === FAULT) continue; }
        let v: number;
        if (pa < 0) v = 0; // isolated cache: the data cache's contents are not modeled
        else if (pa < ramSize) v = size === 3 ? ram32[pa >>> 2] : size === 1 ? ram16[pa >>> 1] : ram8[pa];
        else {
          v = bus.read(pa, size === 3 ? 4 : size === 1 ? 2 : 1);
          if (bus.fault) { bus.fault = false; this.raise(ExcCode.DBE); continue; }
        }
        if (op === 32) v = (v << 24) >> 24; else if (op === 33) v = (v << 16) >> 16;
        if (rt !== 0) { this.ldReg = rt; i32[I32.LD_VAL] = v | 0; }
        break;
      }
      case 34: case 38: { // lwl lwr
        const va = (r[rs] + this.simm16(w)) | 0;
        const v = this.loadWord(va & ~3, va);
        if (v === undefined) continue;
        const old = this.pendReg === rt ? i32[I32.PEND_VAL] : r[rt];
        if (rt !== 0) { this.ldReg = rt; i32[I32.LD_VAL] = op === 34 ? lwlMerge(old, v, va & 3) : lwrMerge(old, v, va & 3); }
        break;
      }
      case 40: case 41: case 43: { // sb sh sw
        const va = (r[rs] + this.simm16(w)) | 0;
        const size = op & 3;
        if ((va & size) !== 0) { this.addressError(va, Access.Store); continue; }
        if ((va & 0xfffff000) === this.sTag) pa = this.sBase | (va & 0xfff);
        else {
          pa = this.translate(va, Access.Store);
          if (pa === FAULT) continue;
          if (pa >= 0 && pa < ramSize && bus.codePages[pa >>> 12] !== 0) bus.codeWrite(pa, size + 1);
        }
        if (pa < 0) break; // isolated cache: the store stays in the cache
        const v = r[rt];
        if (pa < ramSize) {
          if (size === 3) ram32[pa >>> 2] = v; else if (size === 1) ram16[pa >>> 1] = v; else ram8[pa] = v;
        } else {
          bus.write(pa, size === 3 ? 4 : size === 1 ? 2 : 1, size === 3 ? v : size === 1 ? v & 0xffff : v & 0xff);
          if (bus.fault) { bus.fault = false; this.raise(ExcCode.DBE); continue; }
        }
        break;
      }
      case 42: case 46: { // swl swr
        const va = (r[rs] + this.simm16(w)) | 0;
        const aligned = va & ~3;
        const m = this.loadWord(aligned, va, Access.Store);
        if (m === undefined) continue;
        const v = op === 42 ? swlMerge(m, r[rt], va & 3) : swrMerge(m, r[rt], va & 3);
        if (!this.storeWord(aligned, v)) continue;
        break;
      }
      case 49: case 50: case 51: case 57: case 58: case 59: // lwcz swcz
        this.raise(ExcCode.CpU, false, op & 3); continue;
      default:
        this.raise(ExcCode.RI); continue;
    }
    r[0] = 0;
    if (pendReg !== 0) {
      const p = this.pendReg;
      if (p !== 0 && dest !== p) r[p] = i32[I32.PEND_VAL];
      this.pendReg = 0;
    }
    this.inDelay = branched;
    i32[I32.PC] = next;
  }
}

/**
 * Reads the aligned word at `aligned` for lwl/lwr/swl/swr (whose address
 * `va` needs no alignment). Returns undefined after raising an exception.
 */
export function loadWord(this: Cpu, aligned: number, va: number, kind: Access = Access.Load): number | undefined {
  const pa = this.translateAt(aligned, va, kind);
  if (pa === FAULT) return undefined;
  if (pa === ISOLATED) return 0;
  const v = this.bus.read(pa, 4) | 0;
  if (this.bus.fault) { this.bus.fault = false; this.raise(ExcCode.DBE); return undefined; }
  return v;
}

/** Writes the aligned word for swl/swr; false after raising an exception. */
export function storeWord(this: Cpu, aligned: number, v: number): boolean {
  const pa = this.translateAt(aligned, aligned, Access.Store);
  if (pa === FAULT) return false;
  if (pa === ISOLATED) return true;
  this.bus.write(pa, 4, v);
  if (this.bus.fault) { this.bus.fault = false; this.raise(ExcCode.DBE); return false; }
  return true;
}

/** Translates `aligned`, reporting faults against the unaligned `va`. */
export function translateAt(this: Cpu, aligned: number, va: number, kind: Access): number {
  const pa = this.translate(aligned, kind);
  if (pa === FAULT && (this.badVAddr | 0) === (aligned | 0)) this.badVAddr = va | 0;
  return pa;
}

/**
 * Executes a COP0 instruction. Returns -1 after raising an exception, 1 for
 * a branch (bc0f/bc0t), 0 otherwise.
 */
export function cop0(this: Cpu, w: number, rs: number, rt: number, next: number): number {
  if ((rs & 0x10) !== 0) {
    switch (this.funct(w)) {
      case 1: tlbr(this); return 0;
      case 2: tlbwi(this); return 0;
      case 6: tlbwr(this); return 0;
      case 8: tlbp(this); return 0;
      case 16: rfe(this); return 0;
      default: this.raise(ExcCode.RI); return -1;
    }
  }
  switch (rs) {
    case 0: { // mfc0: delayed like a load
      const v = cp0Read(this, this.rdOf(w));
      if (rt !== 0) { this.ldReg = rt; this.ldVal = v | 0; }
      return 0;
    }
    case 4: cp0Write(this, this.rdOf(w), this.regs[rt]); return 0; // mtc0
    case 8: { // bc0f / bc0t: CpCond0 reads true (the write buffer is always empty)
      if ((rt & 0x1e) !== 0) { this.raise(ExcCode.RI); return -1; }
      if ((rt & 1) !== 0) this.npc = (next + (this.simm16(w) << 2)) | 0;
      return 1;
    }
    default: this.raise(ExcCode.RI); return -1;
  }
}
