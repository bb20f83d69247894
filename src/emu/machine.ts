// The DECstation 5000/200 assembled from data: the CPU, RAM, the devices of
// the KN02 address map (kn02.ts) and their interrupt wiring, the PROM done at
// high level, and a scheduler that runs the CPU exactly up to the next cycle
// at which some device needs service (v86's "each device says when it next
// needs service, and the machine takes the minimum").

import { Bus } from './bus.js';
import { Cpu, FirmwareResult, type CpuState } from './cpu.js';
import type { AccessSize, Clock, Device, IrqLine, MachineEvent, TraceSink } from './device.js';
import { Dc7085, DC_CONSOLE_LINE } from './devices/dc7085.js';
import { Lance } from './devices/lance.js';
import { BootRom, PROM_PHYS_BASE, PROM_SIZE, REX_CALLBACK_VECTOR, REX_MAGIC } from './devices/rom.js';
import { Rtc } from './devices/rtc.js';
import { Kn02Intr, SysCsr } from './devices/syscsr.js';
import { CPU_HZ, DEFAULT_RAM, KN02_IP, KN02_MAP, type Kn02DeviceName } from './kn02.js';
import { Prom, type PromHost } from './prom.js';
import { Status } from './cp0.js';
import { Translator } from './translate.js';

/** Options of a machine; every field has a default. */
export interface MachineOptions {
  /** RAM in bytes, a multiple of 64 KiB (default 32 MiB). */
  ramSize?: number;
  /** CPU clock in Hz, used by the clock and the serial line (default 25 MHz). */
  cpuHz?: number;
  /** Receives every trace event of the machine layer. */
  trace?: TraceSink;
  /** Receives console output (serial line 3 and the PROM's output) as it happens. */
  onConsole?: (bytes: Uint8Array) => void;
  /** The Ethernet station address in the LANCE's address ROM (default 08:00:2b:95:12:03). */
  mac?: readonly number[];
  /**
   * Run hot code as translated blocks (default true); false runs every
   * instruction in the interpreter. Results are identical either way.
   */
  translate?: boolean;
  /**
   * Instructions a translated block runs in the interpreter before it is
   * compiled (default translate.ts HOT_DEFAULT); tests of short runs lower it.
   */
  hot?: number;
}

/** Why `run` returned. */
export type StopReason = 'budget' | 'halt' | 'input' | 'stop' | 'breakpoint' | 'watchpoint';

/** A loadable program: what the ELF loader produces. */
export interface ProgramImage {
  readonly entry: number;
  readonly segments: readonly { readonly vaddr: number; readonly memsz: number; readonly data: Uint8Array }[];
}

/** The machine's whole state: CPU, RAM, devices, PROM. RAM is a copy. */
export interface MachineState {
  readonly cpu: CpuState;
  readonly ram: Uint8Array | undefined;
  readonly devices: Readonly<Record<string, unknown>>;
  readonly prom: unknown;
  readonly halted: boolean;
  readonly haltReason: string;
  readonly hwIp: number;
}

/** A DECstation 5000/200 with an R3000A. */
export class Machine {
  readonly cpu: Cpu;
  readonly bus: Bus;
  readonly rom: BootRom;
  readonly dc: Dc7085;
  readonly rtc: Rtc;
  readonly csr: SysCsr;
  readonly lance: Lance;
  readonly prom: Prom;
  readonly devices: readonly Device[];
  readonly cpuHz: number;
  halted = false;
  haltReason = '';
  private hwIp = 0;
  private readonly clients: Pick<Device, 'nextEvent' | 'tick'>[] = [];
  private waitingInput = false;
  private readonly trace: TraceSink;
  private readonly onConsole: (bytes: Uint8Array) => void;

  /** Builds and resets the machine; throws RangeError on a bad RAM size. */
  constructor(opts: MachineOptions = {}) {
    this.cpuHz = opts.cpuHz ?? CPU_HZ;
    this.trace = opts.trace ?? (() => {});
    this.onConsole = opts.onConsole ?? (() => {});
    const clock: Clock = new MachineClock(this);
    this.bus = new Bus(opts.ramSize ?? DEFAULT_RAM, (e) => this.trace(e), () => clock.now());
    this.cpu = new Cpu(this.bus);
    const trace: TraceSink = (e) => this.trace(e);
    this.csr = new SysCsr({ clock, irq: this.line(KN02_IP.io), trace });
    this.rtc = new Rtc({ clock, irq: this.line(KN02_IP.rtc), trace, cpuHz: this.cpuHz });
    this.dc = new Dc7085({
      clock, irq: this.csr.input(Kn02Intr.Serial), trace, cpuHz: this.cpuHz,
      onTransmit: (line, byte) => { if (line === DC_CONSOLE_LINE) this.onConsole(Uint8Array.of(byte)); },
    });
    this.rom = new BootRom({ clock, trace });
    this.lance = new Lance({ clock, irq: this.csr.input(Kn02Intr.Lance), trace, cpuHz: this.cpuHz, mac: opts.mac });
    const byName: Record<Kn02DeviceName, Device> = { lance: this.lance, rom: this.rom, dc7085: this.dc, rtc: this.rtc, syscsr: this.csr };
    for (const row of KN02_MAP) this.bus.attach(row.name, row.base, row.size, new WatchedDevice(byName[row.name], this.cpu));
    this.devices = KN02_MAP.map((row) => byName[row.name]);
    this.prom = new Prom(this.promHost());
    this.cpu.firmwareHook = (pa) => this.firmware(pa);
    if (opts.translate ?? true) {
      const t = new Translator(this.cpu);
      if (opts.hot !== undefined) t.hot = opts.hot;
      this.cpu.useTranslator(t);
    }
  }

  /** An interrupt input of the CPU driving Cause bit `ipBit`. */
  private line(ipBit: number): IrqLine {
    return new CpuLine(this, ipBit);
  }

  /** Drives the CPU's interrupt input `ipBit` (CpuLine). */
  driveLine(ipBit: number, level: boolean): void {
    this.hwIp = level ? this.hwIp | ipBit : this.hwIp & ~ipBit;
    this.cpu?.setHardwareInterrupts(this.hwIp);
  }

  /**
   * Adds a client of the machine's scheduler that is not a bus device (the
   * kernel's own deadline timer): it is ticked at the exact cycle it asks
   * for, between instructions. Its state is its owner's to save.
   */
  addClockClient(client: Pick<Device, 'nextEvent' | 'tick'>): void {
    this.clients.push(client);
  }

  /** The earliest cycle at which some device or clock client needs service. */
  nextDeviceEvent(): number {
    // Indexed loops: no array iterator each time the machine runs on (before V8 optimizes this).
    let next = Infinity;
    const devices = this.devices, clients = this.clients;
    for (let i = 0; i < devices.length; i++) next = Math.min(next, devices[i].nextEvent());
    for (let i = 0; i < clients.length; i++) next = Math.min(next, clients[i].nextEvent());
    return next;
  }

  private serviceDevices(): void {
    const now = this.cpu.cycles;
    const devices = this.devices, clients = this.clients;
    for (let i = 0; i < devices.length; i++) if (devices[i].nextEvent() <= now) devices[i].tick(now);
    for (let i = 0; i < clients.length; i++) if (clients[i].nextEvent() <= now) clients[i].tick(now);
  }

  /**
   * Runs for at most `budget` cycles. Returns why it stopped: the budget ran
   * out, the program halted, it waits for console input that no device
   * will ever deliver, or `stop()` was called.
   */
  run(budget: number): StopReason {
    const end = this.cpu.cycles + budget;
    while (!this.halted && this.cpu.cycles < end) {
      this.serviceDevices();
      const next = this.nextDeviceEvent();
      const reason = this.cpu.run(Math.min(end, next));
      if (reason === 'halt') return 'halt';
      if (reason === 'stop' || reason === 'breakpoint' || reason === 'watchpoint') return reason;
      if (reason === 'input') {
        // Blocked in the PROM's getchar: let time pass to the next device event.
        if (next === Infinity) return 'input';
        this.cpu.cycles = Math.max(this.cpu.cycles, Math.min(end, next));
      }
    }
    return this.halted ? 'halt' : 'budget';
  }

  /** Cycles idleTo has let pass since boot: a measurement counter (bench --paper), not machine state. */
  idleCycles = 0;

  /**
   * Lets time pass with the CPU idle (nothing to run) up to `cycle`:
   * devices and clock clients are serviced at their exact cycles on the way.
   */
  idleTo(cycle: number): void {
    if (this.cpu.cycles < cycle) this.idleCycles += cycle - this.cpu.cycles;
    while (this.cpu.cycles < cycle) {
      const next = Math.min(cycle, Math.max(this.cpu.cycles + 1, this.nextDeviceEvent()));
      this.cpu.cycles = next;
      this.serviceDevices();
    }
  }

  /**
   * The word of the boot ROM at physical address `pa` (0x1fc00000 to
   * 0x1fc7ffff, seen at kseg1 0xbfc00000), or undefined outside it: what a
   * debugger shows there. Reading the ROM has no side effects, unlike the
   * other devices' registers. Its entry points hold `jr ra; nop`: the
   * emulator carries out the PROM's functions at high level (prom.ts).
   */
  romWord(pa: number): number | undefined {
    const off = (pa & ~3) - PROM_PHYS_BASE;
    return off >= 0 && off < PROM_SIZE ? this.rom.read(off, 4) >>> 0 : undefined;
  }

  /** Makes `run` return before the next instruction. */
  stop(): void {
    this.cpu.requestStop('stop');
  }

  /**
   * The whole state; restoring it and running gives the same future exactly.
   * With `withRam` false the RAM is left out (a caller that keeps RAM itself).
   */
  save(withRam = true): MachineState {
    const devices: Record<string, unknown> = {};
    for (const d of this.devices) devices[d.name] = d.save();
    return {
      cpu: this.cpu.save(), ram: withRam ? this.bus.ram8.slice() : undefined, devices, prom: this.prom.save(),
      halted: this.halted, haltReason: this.haltReason, hwIp: this.hwIp,
    };
  }

  /**
   * Restores a state from `save()` of a machine with the same RAM size
   * (RAM is left as it is when the state has none, but every page is then
   * treated as written); throws RangeError otherwise.
   */
  restore(s: MachineState): void {
    if (s.ram) {
      if (s.ram.length !== this.bus.ramSize) throw new RangeError(`Checkpoint has ${s.ram.length} bytes of RAM, this machine ${this.bus.ramSize}`);
      this.bus.hostWrite(0, s.ram);
    } else {
      // The caller keeps RAM itself and may have put other contents back:
      // every page counts as written (dirty, translated code dropped).
      this.bus.noteWrite(0, this.bus.ramSize);
    }
    for (const d of this.devices) d.restore(s.devices[d.name]);
    this.prom.restore(s.prom as never);
    this.halted = s.halted;
    this.haltReason = s.haltReason;
    this.hwIp = s.hwIp;
    this.cpu.restore(s.cpu);
  }

  /** Queues bytes as console input on serial line 3. */
  consoleInput(bytes: Uint8Array | string): void {
    this.dc.input(DC_CONSOLE_LINE, bytes);
    this.cpu.clampLimit(this.dc.nextEvent());
  }

  /** The CPU fetched outside RAM: let the PROM answer its entry points. */
  private firmware(pa: number): FirmwareResult {
    this.waitingInput = false;
    const outcome = this.prom.call(pa);
    if (outcome === 'returned') return FirmwareResult.Returned;
    if (outcome === 'not-entry') return FirmwareResult.NotHandled;
    if (outcome === 'waiting') { this.waitingInput = true; this.cpu.requestStop('input'); }
    return FirmwareResult.Stay;
  }

  /** True while the program is blocked in the PROM waiting for console input. */
  get waitingForInput(): boolean {
    return this.waitingInput;
  }

  private promHost(): PromHost {
    const cpu = () => this.cpu;
    const bus = this.bus;
    return {
      getReg: (n) => cpu().regs[n] >>> 0,
      setReg: (n, v) => { if (n !== 0) cpu().regs[n] = v | 0; },
      readByte: (va) => {
        const pa = cpu().peek(va, false);
        if (pa < 0) return -1;
        const v = bus.read(pa, 1);
        if (bus.fault) { bus.fault = false; return -1; }
        return v;
      },
      writeByte: (va, v) => {
        const pa = cpu().peek(va, true);
        if (pa < 0) return false;
        bus.write(pa, 1, v & 0xff);
        if (bus.fault) { bus.fault = false; return false; }
        return true;
      },
      consoleWrite: (bytes) => this.onConsole(typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes),
      consoleRead: () => this.dc.pollReceive(DC_CONSOLE_LINE),
      halt: (reason) => { this.halted = true; this.haltReason = reason; this.cpu.requestStop('halt'); },
      event: (e: MachineEvent) => this.trace(e),
      now: () => this.cpu.cycles,
    };
  }

  /**
   * Loads `image` into RAM and starts it as a REX PROM starts a program
   * (docs/reference/decstation.md): a0 = argc, a1 = argv, a2 = the TCF0 magic,
   * a3 = the callback vector, sp below the argument strings at the top of
   * RAM, Status = CU0|CU1 with BEV clear, interrupts off, kernel mode.
   * Throws RangeError when a segment is outside kseg0/kseg1 or past RAM.
   */
  load(image: ProgramImage, argv: readonly string[] = ['exoscope']): void {
    for (const seg of image.segments) {
      const seg3 = seg.vaddr >>> 29;
      if (seg3 !== 4 && seg3 !== 5) {
        throw new RangeError(`Segment at 0x${(seg.vaddr >>> 0).toString(16)} is not in kseg0 or kseg1`);
      }
      const pa = seg.vaddr & 0x1fffffff;
      if (pa + seg.memsz > this.bus.ramSize) {
        throw new RangeError(`Segment at 0x${(seg.vaddr >>> 0).toString(16)} (${seg.memsz} bytes) loads outside RAM (${this.bus.ramSize >>> 20} MiB)`);
      }
      this.bus.hostFill(pa, seg.memsz, 0);
      this.bus.hostWrite(pa, seg.data);
    }
    const { argvAddr, sp } = this.placeArguments(argv);
    const cpu = this.cpu;
    cpu.regs.fill(0);
    cpu.regs[4] = argv.length;
    cpu.regs[5] = argvAddr;
    cpu.regs[6] = REX_MAGIC;
    cpu.regs[7] = REX_CALLBACK_VECTOR;
    cpu.regs[29] = sp;
    cpu.status = Status.CU0 | Status.CU1;
    cpu.updateInterrupts();
    cpu.flushTranslations();
    cpu.jump(image.entry);
  }

  /** Writes argv strings and the pointer array at the top of RAM; returns where. */
  private placeArguments(argv: readonly string[]): { argvAddr: number; sp: number } {
    const top = this.bus.ramSize;
    const strings = argv.map((a) => Buffer.from(a + '\0', 'latin1'));
    let p = top - 16;
    const ptrs: number[] = [];
    for (const s of strings) { p -= s.length; this.bus.hostWrite(p, s); ptrs.push(0x80000000 + p); }
    p = (p - 4 * (argv.length + 1)) & ~15;
    ptrs.forEach((v, i) => { this.bus.hostWrite32(p + 4 * i, v | 0); });
    this.bus.hostWrite32(p + 4 * argv.length, 0);
    return { argvAddr: (0x80000000 + p) | 0, sp: (0x80000000 + p - 32) | 0 };
  }
}

// The machine's wiring to its devices is made of small classes, not
// closures: every machine's devices then call the same functions (their
// prototypes' methods). TurboFan's code for a device method that inlined
// one machine's closure (its clock, an interrupt line, a wrapper) was
// thrown away at the next machine's ("wrong call target"), and recompiled
// behind the rest of the queue, in every process that runs more than one
// machine (the benches, time travel, the tests).

/** The devices' clock: the CPU's cycle count. */
class MachineClock implements Clock {
  constructor(private readonly m: { readonly cpu: { readonly cycles: number } }) {}
  now(): number { return this.m.cpu.cycles; }
}

/** An interrupt input of the CPU (Machine.driveLine). */
class CpuLine implements IrqLine {
  constructor(private readonly m: Machine, private readonly bit: number) {}
  set(level: boolean): void { this.m.driveLine(this.bit, level); }
}

/**
 * A device as the bus sees it: an access that moves its next event earlier
 * cuts the CPU's current run short, so devices are always serviced on time.
 */
class WatchedDevice implements Device {
  readonly name: string;
  constructor(private readonly d: Device, private readonly cpu: Cpu) { this.name = d.name; }
  read(o: number, s: AccessSize): number { const v = this.d.read(o, s); this.cpu.clampLimit(this.d.nextEvent()); return v; }
  write(o: number, s: AccessSize, v: number): void { this.d.write(o, s, v); this.cpu.clampLimit(this.d.nextEvent()); }
  nextEvent(): number { return this.d.nextEvent(); }
  tick(n: number): void { this.d.tick(n); }
  save(): unknown { return this.d.save(); }
  restore(st: unknown): void { this.d.restore(st); }
}
