// The real client: Debian's gdb-multiarch in batch mode against
// `exoscope gdbserver scenarios/gdb.yaml` on a free port. Skipped, saying
// so, when gdb-multiarch is not installed. The first test and the bare-metal
// one start exoscope as a process, as a person would (its exit status and
// output are checked there); the others serve the scenario from this worker
// through gdbserverCommand, what that process runs, which saves a node
// process (a second of CPU, two on a busy host) each.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { gdbserverCommand } from '../../src/cli/gdb.js';
import { parseElf } from '../../src/emu/elf.js';
import { cliEntry } from '../cli-bundle.js';

const ROOT = resolve(import.meta.dirname, '../..');
/** The address of a function in a committed guest image, wherever the link put it. */
function symbol(image: string, name: string): number {
  const path = resolve(ROOT, 'src/exos/images', `${image}.elf`);
  return parseElf(new Uint8Array(readFileSync(path)), path).symbols.find((s) => s.name === name)!.value;
}
/** An address as gdb prints it (0x402710) and as a little-endian register in a T packet (10274000). */
const gdbHex = (a: number) => `0x${a.toString(16)}`;
const packetHex = (a: number) => [0, 8, 16, 24].map((b) => ((a >>> b) & 0xff).toString(16).padStart(2, '0')).join('');

const hasGdb = spawnSync('gdb-multiarch', ['--version']).status === 0;
if (!hasGdb) console.warn('test/gdb/gdb-multiarch.test.ts: skipped, gdb-multiarch is not installed (apt-get install gdb-multiarch)');

const children: ChildProcess[] = [];
/** Servers of this worker still waiting for a debugger: a connection that closes at once ends each. */
const waiting = new Set<number>();
afterEach(async () => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill();
  for (const port of [...waiting]) await new Promise<void>((r) => { const s = connect(port, '127.0.0.1', () => s.destroy()); s.on('close', () => r()); s.on('error', () => r()); });
});

/** Starts `exoscope gdbserver` (or other `args`) on a free port; resolves with the port and its log so far. */
function gdbserver(args = ['gdbserver', 'scenarios/gdb.yaml', '--port', '0']): Promise<{ port: number; log: () => string; exited: Promise<number | null>; stdout: () => string }> {
  const child = spawn(process.execPath, [cliEntry(), ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  child.stdout!.on('data', (d) => { stdout += d; });
  children.push(child);
  let log = '';
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return new Promise((res, rej) => {
    child.stderr!.on('data', (d) => {
      log += d;
      const m = /listening for gdb on 127\.0\.0\.1:(\d+)/.exec(log);
      if (m) res({ port: Number(m[1]), log: () => log, exited, stdout: () => stdout });
    });
    child.on('exit', () => rej(new Error(`gdbserver exited: ${log}`)));
  });
}

/** `exoscope gdbserver scenarios/gdb.yaml --port 0` served from this worker; resolves with the port, its log so far, and its exit status to come. */
function gdbserverHere(): Promise<{ port: number; log: () => string; exited: Promise<number | null> }> {
  let log = '';
  return new Promise((res, rej) => {
    const exited = gdbserverCommand(join(ROOT, 'scenarios/gdb.yaml'), {
      port: 0,
      stderr: (t) => {
        log += t;
        const m = /listening for gdb on 127\.0\.0\.1:(\d+)/.exec(t);
        if (m) { waiting.add(Number(m[1])); res({ port: Number(m[1]), log: () => log, exited }); }
      },
    });
    const ended = () => { const m = /127\.0\.0\.1:(\d+)/.exec(log); if (m) waiting.delete(Number(m[1])); };
    exited.then((status) => { ended(); rej(new Error(`gdbserver ended (${status}): ${log}`)); }, (e: unknown) => { ended(); rej(e); });
  });
}

/**
 * Runs gdb-multiarch -batch with these commands; resolves with its output
 * (stdout and stderr). With `mips`, `set architecture mips:3000` comes
 * first, as the README says (the kernel's idle process has no program to
 * tell gdb its architecture).
 */
function gdb(commands: string[], mips = false, apart?: { stdout: string; stderr: string }): Promise<string> {
  // gdb gives up on a reply after 2 s by default; a test machine at load 10 can take longer to run to a breakpoint.
  const setup = ['set pagination off', 'set confirm off', 'set remotetimeout 30', ...(mips ? ['set architecture mips:3000'] : [])];
  const args = ['-nx', '-batch', ...[...setup, ...commands].flatMap((c) => ['-ex', c])];
  const child = spawn('gdb-multiarch', args, { cwd: ROOT });
  children.push(child);
  let out = '';
  child.stdout.on('data', (d) => { out += d; if (apart) apart.stdout += d; });
  child.stderr.on('data', (d) => { out += d; if (apart) apart.stderr += d; });
  return new Promise((r) => child.on('exit', () => r(out)));
}

describe.skipIf(!hasGdb)(`gdb-multiarch against exoscope gdbserver${hasGdb ? '' : ' (skipped: gdb-multiarch is not installed)'}`, () => {
  it('loads symbols, breaks in memwalk, shows bt, registers, a variable, steps, lists threads, goes back, detaches', async () => {
    const server = await gdbserver();
    const out = await gdb([
      `target remote :${server.port}`, 'set schedule-multiple on',
      'break write_pass', 'continue', 'bt', 'info registers pc sp', 'print n',
      'next', 'next', 'print i', 'info threads',
      'stepi', 'reverse-stepi',
      'continue', 'print pass', 'reverse-continue', 'print pass',
      'detach',
    ], true);
    // Symbols come from the environment's own image (qXfer:exec-file).
    expect(out).toMatch(/Reading symbols from .*exos-memwalk-g\.elf/);
    // The address is after write_pass's prologue, wherever the link put it.
    const at = /Breakpoint 1 at (0x[0-9a-f]+): file src\/exos\/apps\/memwalk\.c, line 39\./.exec(out)?.[1];
    expect(at, out).toBeDefined();
    expect(out).toMatch(/Thread 1\.1 hit Breakpoint 1, write_pass \(base=base@entry=0x10000000, n=n@entry=16, pass=pass@entry=0\) at src\/exos\/apps\/memwalk\.c:39/);
    expect(out).toMatch(/#1 {2}0x[0-9a-f]+ in main \(.*\) at src\/exos\/apps\/memwalk\.c:\d+/);
    expect(out).toMatch(new RegExp(`pc: ${at}\\nsp: 0x7fdfff[0-9a-f]{2}`));
    expect(out).toContain('$1 = 16');
    expect(out).toMatch(/43\t\t\tuint32_t \*page = base/);
    expect(out).toContain('$2 = 0');
    // One inferior per environment, each thread pPID.TID; the idle loop is process 65535.
    expect(out).toMatch(/\* 1\.1 +Thread 1\.1 \(memwalk \(environment 1, running on the CPU\)\) +write_pass/);
    expect(out).toMatch(/ 2\.1 +Thread 2\.2 \(hello \(environment 2, runnable\)\) +_start \(\) at src\/exos\/lib\/crt0\.S:21/);
    expect(out).toMatch(/ 3\.1 +Thread 65535\.65535 \(kernel idle \(not running\)\) +0x80000080 in \?\? \(\)/);
    // continue reaches the second pass; reverse-continue comes back to the first.
    expect(out).toMatch(/pass=pass@entry=1\) at src\/exos\/apps\/memwalk\.c:39[\s\S]*\$3 = 1[\s\S]*pass=pass@entry=0\) at src\/exos\/apps\/memwalk\.c:39[\s\S]*\$4 = 0/);
    // detach leaves inferior 1; gdb leaves the others as it quits, and the last one ends the session.
    expect(out).toMatch(/\[Inferior 1 \(process 1\) detached\]\n\[Inferior 2 \(process 2\) detached\]\n\[Inferior 3 \(process 65535\) detached\]/);
    expect(out).not.toMatch(/internal-error|Remote connection closed|Remote failure/);
    expect(await server.exited).toBe(0);
    expect(server.log()).toMatch(/the debugger detached/);
  }, 120_000);

  it('makes one inferior per environment with its own symbols; a breakpoint in one program stops only its environment', async () => {
    // hello's main is where memwalk's value() is (both programs link at 0x00400000): memwalk runs it 2048 times.
    const helloMain = symbol('exos-hello-g', 'main');
    expect(helloMain).toBe(symbol('exos-memwalk-g', 'value'));
    const server = await gdbserverHere();
    const apart = { stdout: '', stderr: '' };
    const out = await gdb([
      `target remote :${server.port}`, 'set schedule-multiple on', 'info inferiors',
      'break hello.c:main', 'break write_pass', 'set debug remote 1',
      'continue', 'continue', 'set debug remote 0', 'bt', 'next', 'next', 'next', 'info locals', 'info threads',
      'set debug remote 1', 'continue', 'set debug remote 0', 'continue', 'info inferiors', 'inferior 2', 'continue',
    ], true, apart);
    // gdb's own output apart from the packets `set debug remote` shows (on stderr, with gdb's warnings).
    const said = apart.stdout + apart.stderr.replace(/\[remote\] [^\n]*\n/g, '');
    expect(said).toMatch(/\[New inferior 2\]\nReading symbols from .*exos-hello-g\.elf/);
    expect(said).toMatch(/\* 1 +process 1 +1 \(remote :\d+\) +\S+\/exos-memwalk-g\.elf/);
    expect(said).toMatch(/\n {2}2 +process 2 +1 \(remote :\d+\) +\S+\/exos-hello-g\.elf/);
    expect(said).toMatch(/\n {2}3 +process 65535 +1 \(remote :\d+\) +\n/);
    expect(said).toContain(`Breakpoint 1 at ${gdbHex(helloMain)}: file src/exos/apps/hello.c, line 14.`);
    expect(said).toMatch(/Breakpoint 2 at 0x[0-9a-f]+: file src\/exos\/apps\/memwalk\.c, line 39\./);
    expect(said).toMatch(/Thread 1\.1 hit Breakpoint 2, write_pass \([^)]*pass=pass@entry=0\)[\s\S]*Thread 2\.1 hit Breakpoint 1, main \(argc=1, argv=0x[0-9a-f]+ <exos_argv>\) at src\/exos\/apps\/hello\.c:14/);
    expect(said).toMatch(/#0 {2}main \(argc=1, argv=0x[0-9a-f]+ <exos_argv>\) at src\/exos\/apps\/hello\.c:14\n/);
    expect(said).toMatch(/20\t\tfor \(k = 0; k < argc; k\+\+\)\n[\s\S]*k = 0\n/);
    expect(said).toMatch(/ 1\.1 +Thread 1\.1 \(memwalk \(environment 1, runnable\)\)[\s\S]*\* 2\.1 +Thread 2\.2 \(hello \(environment 2, running on the CPU\)\) +main \(/);
    expect(said).toMatch(/Thread 1\.1 hit Breakpoint 2, write_pass \([^)]*pass=pass@entry=1\)/);
    // Each breakpoint stopped its own program only: hello's main once, memwalk's write_pass twice, no stray SIGTRAP.
    // Nor did exoscope stop memwalk at hello's main for gdb to resume it unseen (it would, were breakpoints global).
    expect(out.match(new RegExp(`Packet received: T05thread:p2\\.2;swbreak:;25:${packetHex(helloMain)};`, 'g'))).toHaveLength(1);
    expect(out).not.toMatch(new RegExp(`Packet received: T05thread:p1\\.1;swbreak:;25:${packetHex(helloMain)};`));
    expect(said.match(/hit Breakpoint 1,/g)).toHaveLength(1);
    expect(said.match(/hit Breakpoint 2,/g)).toHaveLength(2);
    expect(said).not.toMatch(/SIGTRAP|Thread 1\.1 hit Breakpoint 1|in value/);
    // memwalk ends first: its process exits, the others go on.
    expect(said).toMatch(/\[Inferior 1 \(process 1\) exited normally\][\s\S]*\* 1 +<null>[\s\S]*\[Switching to inferior 2 \[process 2\]/);
    expect(said).toMatch(/\[Inferior 2 \(process 2\) exited normally\]/);
    expect(said).not.toMatch(/internal-error|Remote connection closed|Remote failure/);
    expect(await server.exited).toBe(0);
  }, 120_000);

  it('hardware watchpoints stop at the store and the load; reverse-continue to the start of history says so', async () => {
    const server = await gdbserverHere();
    const out = await gdb([
      `target remote :${server.port}`, 'set schedule-multiple on',
      'break write_pass', 'continue', 'continue', 'delete 1',
      'watch *(int *)0x10000040', 'rwatch *(int *)0x10000080', 'continue', 'continue', 'delete',
      'reverse-continue', 'kill', 'info inferiors',
    ], true);
    expect(out).toContain('Hardware watchpoint 2: *(int *)0x10000040');
    expect(out).toMatch(/Thread 1\.1 hit Hardware watchpoint 2: \*\(int \*\)0x10000040\n\nOld value = 16\nNew value = 17/);
    expect(out).toMatch(/Thread 1\.1 hit Hardware read watchpoint 3: \*\(int \*\)0x10000080\n\nValue = 33\n.* in read_pass/);
    expect(out).toContain('No more reverse-execution history.');
    // kill ends memwalk's process only (the kernel destroys the environment); hello's goes on.
    expect(out).toMatch(/\[Inferior 1 \(process 1\) killed\]\n.*Num.*\n\* 1 +<null>.*\n {2}2 +process 2 /);
    expect(await server.exited).toBe(0);
  }, 120_000);

  it('reverse-finish goes back to the call in the caller', async () => {
    const server = await gdbserverHere();
    const out = await gdb([`target remote :${server.port}`, 'break read_pass', 'continue', 'delete', 'next', 'next', 'reverse-finish', 'kill']);
    expect(out).toMatch(/^60\s+sum \+= base/m);
    expect(out).toMatch(/0x[0-9a-f]+ in main \(.*\) at src\/exos\/apps\/memwalk\.c:78\n78\s+sum = read_pass\(base, n\);/);
    expect(await server.exited).toBe(0);
  }, 120_000);

  it('a second gdb is refused with a clear message while the first is attached', async () => {
    const server = await gdbserverHere();
    // The first stays attached until the test makes `go`.
    const go = join(mkdtempSync(join(tmpdir(), 'exo-gdb-')), 'go');
    const first = spawn('gdb-multiarch', ['-nx', '-batch', '-ex', `target remote :${server.port}`, '-ex', `shell while [ ! -e ${go} ]; do sleep 0.05; done`, '-ex', 'detach'], { cwd: ROOT });
    children.push(first);
    for (let i = 0; i < 400 && !/debugger attached/.test(server.log()); i++) await new Promise((r) => setTimeout(r, 50));
    const second = await gdb([`target remote :${server.port}`]);
    writeFileSync(go, '');
    expect(second).toMatch(/another debugger is already attached/);
    await new Promise((r) => first.on('exit', r));
    expect(server.log()).toMatch(/refused a second debugger/);
    expect(await server.exited).toBe(0);
  }, 120_000);

  it('exoscope run prog.elf --gdb serves a bare-metal program stopped at its entry; its console goes to stdout', async () => {
    const server = await gdbserver(['run', 'src/exos/images/hello.elf', '--gdb', '0']);
    const out = await gdb([`target remote :${server.port}`, 'info threads', 'break main', 'continue', 'stepi', 'x/i $pc', 'continue']);
    expect(out).toMatch(/Reading symbols from .*hello\.elf/);
    expect(out).toMatch(/0x80030000 in _start \(\)/);
    expect(out).toMatch(/\* 1 +Thread 1\.1 \(hello\.elf \(running on the CPU\)\)/);
    expect(out).toMatch(/Breakpoint 1, 0x[0-9a-f]+ in main \(\)/);
    expect(out).toMatch(/=> 0x[0-9a-f]+ <printf>:\taddiu\tsp,sp,-\d+/);
    expect(out).toContain('[Inferior 1 (process 1) exited normally]');
    expect(await server.exited).toBe(0);
    expect(server.stdout()).toMatch(/^hello from exoscope bare metal\n[\s\S]*hello done\n$/);
  }, 120_000);
});
