// GDB's MIPS register numbering and the target description that announces
// it (GDB manual, appendix G "Target Descriptions", G.5.9 "MIPS Features":
// org.gnu.gdb.mips.cpu holds r0-r31, lo, hi and pc; org.gnu.gdb.mips.cp0
// holds status, badvaddr and cause; org.gnu.gdb.mips.fpu holds f0-f31,
// fcsr and fir). The numbers are the raw register numbers of GDB's MIPS
// target: 0-31 the general registers, then sr, lo, hi, bad, cause, pc, the
// 32 floating-point registers, fsr and fir. The R3000A as modeled here has
// no coprocessor 1, so the floating-point registers are always reported
// unavailable.

/** Register numbers in GDB's MIPS numbering. */
export const Reg = {
  SR: 32, LO: 33, HI: 34, BAD: 35, CAUSE: 36, PC: 37,
  F0: 38, FSR: 70, FIR: 71,
} as const;

/** Registers in the `g` packet: 0 through FIR. */
export const REG_COUNT = Reg.FIR + 1;

/** The registers a target can supply: the 38 integer and CP0 ones (FP never). */
export const INT_REGS = Reg.PC + 1;

const GPR_NAMES = ['zero', 'at', 'v0', 'v1', 'a0', 'a1', 'a2', 'a3', 't0', 't1', 't2', 't3', 't4', 't5', 't6', 't7',
  's0', 's1', 's2', 's3', 's4', 's5', 's6', 's7', 't8', 't9', 'k0', 'k1', 'gp', 'sp', 's8', 'ra'];

/** The conventional name of register `n` (r-names in the description are GDB's; these are for messages). */
export function regName(n: number): string {
  if (n < 32) return GPR_NAMES[n];
  if (n >= Reg.F0 && n < Reg.FSR) return `f${n - Reg.F0}`;
  return ({ 32: 'sr', 33: 'lo', 34: 'hi', 35: 'bad', 36: 'cause', 37: 'pc', 70: 'fsr', 71: 'fir' } as Record<number, string>)[n] ?? `r${n}`;
}

function reg(name: string, regnum: number, extra = ''): string {
  return `<reg name="${name}" bitsize="32" regnum="${regnum}"${extra}/>`;
}

/** target.xml: a 32-bit little-endian R3000 (mips:3000) with the three MIPS features. */
export function targetXml(): string {
  const cpu = [...Array.from({ length: 32 }, (_, i) => reg(`r${i}`, i)), reg('lo', Reg.LO), reg('hi', Reg.HI), reg('pc', Reg.PC, ' type="code_ptr"')];
  const cp0 = [reg('status', Reg.SR), reg('badvaddr', Reg.BAD), reg('cause', Reg.CAUSE)];
  const fpu = [...Array.from({ length: 32 }, (_, i) => reg(`f${i}`, Reg.F0 + i, ' type="ieee_single"')), reg('fcsr', Reg.FSR, ' group="float"'), reg('fir', Reg.FIR, ' group="float"')];
  return [
    '<?xml version="1.0"?>',
    '<!DOCTYPE target SYSTEM "gdb-target.dtd">',
    '<target version="1.0">',
    '<architecture>mips:3000</architecture>',
    '<feature name="org.gnu.gdb.mips.cpu">', ...cpu, '</feature>',
    '<feature name="org.gnu.gdb.mips.cp0">', ...cp0, '</feature>',
    '<feature name="org.gnu.gdb.mips.fpu">', ...fpu, '</feature>',
    '</target>',
  ].join('\n') + '\n';
}

/** A register value as the `g`/`p` packets carry it: 4 bytes, little-endian, in hex; `xxxxxxxx` when unavailable. */
export function regHex(v: number | undefined): string {
  if (v === undefined) return 'xxxxxxxx';
  const u = v >>> 0;
  return [u & 0xff, (u >>> 8) & 0xff, (u >>> 16) & 0xff, u >>> 24].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** The value of 8 hex digits in target (little-endian) order; undefined when malformed. */
export function parseRegHex(text: string): number | undefined {
  if (!/^[0-9a-fA-F]{8}$/.test(text)) return undefined;
  const b = Buffer.from(text, 'hex');
  return b.readUInt32LE(0);
}
