// The real client: Debian's gdb-multiarch in batch mode against
// `exoscope gdbserver scenarios/gdb.yaml` on a free port. Skipped, saying
// so, when gdb-multiarch is not installed.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const hasGdb = spawnSync('gdb-multiarch', ['--version']).status === 0;
if (!hasGdb) console.warn('test/gdb/gdb-multiarch.test.ts: skipped, gdb-multiarch is not installed (apt-get install gdb-multiarch)');

const children: ChildProcess[] = [];
afterEach(() => { for (const c of children.splice(0)) if (c.exitCode === null) c.kill(); });

/** Starts `exoscope gdbserver` (or other `args`) on a free port; resolves with the port and its log so far. */
function gdbserver(args = ['gdbserver', 'scenarios/gdb.yaml', '--port', '0']): Promise<{ port: number; log: () => string; exited: Promise<number | null>; stdout: () => string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
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

/** Runs gdb-multiarch -batch with these commands; resolves with its output (stdout and stderr). */
function gdb(commands: string[]): Promise<string> {
  const args = ['-nx', '-batch', '-ex', 'set pagination off', '-ex', 'set confirm off', ...commands.flatMap((c) => ['-ex', c])];
  const child = spawn('gdb-multiarch', args, { cwd: ROOT });
  children.push(child);
  let out = '';
  child.stdout.on('data', (d) => { out += d; });
  child.stderr.on('data', (d) => { out += d; });
  return new Promise((r) => child.on('exit', () => r(out)));
}

describe.skipIf(!hasGdb)(`gdb-multiarch against exoscope gdbserver${hasGdb ? '' : ' (skipped: gdb-multiarch is not installed)'}`, () => {
  it('loads symbols, breaks in memwalk, shows bt, registers, a variable, steps, lists threads, goes back, detaches', async () => {
    const server = await gdbserver();
    const out = await gdb([
      `target remote :${server.port}`,
      'break write_pass', 'continue', 'bt', 'info registers pc sp', 'print n',
      'next', 'next', 'print i', 'info threads',
      'stepi', 'reverse-stepi',
      'continue', 'print pass', 'reverse-continue', 'print pass',
      'detach',
    ]);
    // Symbols come from the environment's own image (qXfer:exec-file).
    expect(out).toMatch(/Reading symbols from .*exos-memwalk-g\.elf/);
    expect(out).toMatch(/Breakpoint 1 at 0x402810: file src\/exos\/apps\/memwalk\.c, line 39\./);
    expect(out).toMatch(/Thread 1 hit Breakpoint 1, write_pass \(base=base@entry=0x10000000, n=n@entry=16, pass=pass@entry=0\) at src\/exos\/apps\/memwalk\.c:39/);
    expect(out).toMatch(/#1 {2}0x[0-9a-f]+ in main \(.*\) at src\/exos\/apps\/memwalk\.c:\d+/);
    expect(out).toMatch(/pc: 0x402810\nsp: 0x7fdfff[0-9a-f]{2}/);
    expect(out).toContain('$1 = 16');
    expect(out).toMatch(/43\t\t\tuint32_t \*page = base/);
    expect(out).toContain('$2 = 0');
    expect(out).toMatch(/\* 1 +Thread 1 \(memwalk \(environment 1, running on the CPU\)\) +write_pass/);
    expect(out).toMatch(/ 2 +Thread 2 \(hello \(environment 2, runnable\)\) +_start \(\)/);
    expect(out).toMatch(/ 3 +Thread 65535 \(kernel idle \(not running\)\) +0x80000080 in \?\? \(\)/);
    // continue reaches the second pass; reverse-continue comes back to the first.
    expect(out).toMatch(/pass=pass@entry=1\) at src\/exos\/apps\/memwalk\.c:39[\s\S]*\$3 = 1[\s\S]*pass=pass@entry=0\) at src\/exos\/apps\/memwalk\.c:39[\s\S]*\$4 = 0/);
    expect(out).toContain('[Inferior 1 (Remote target) detached]');
    expect(out).not.toMatch(/internal-error|Remote connection closed|Remote failure/);
    expect(await server.exited).toBe(0);
    expect(server.log()).toMatch(/the debugger detached/);
  }, 120_000);

  it('hardware watchpoints stop at the store and the load; reverse-continue to the start of history says so', async () => {
    const server = await gdbserver();
    const out = await gdb([
      `target remote :${server.port}`,
      'break write_pass', 'continue', 'continue', 'delete 1',
      'watch *(int *)0x10000040', 'rwatch *(int *)0x10000080', 'continue', 'continue', 'delete',
      'reverse-continue', 'kill',
    ]);
    expect(out).toContain('Hardware watchpoint 2: *(int *)0x10000040');
    expect(out).toMatch(/Thread 1 hit Hardware watchpoint 2: \*\(int \*\)0x10000040\n\nOld value = 16\nNew value = 17/);
    expect(out).toMatch(/Thread 1 hit Hardware read watchpoint 3: \*\(int \*\)0x10000080\n\nValue = 33\n.* in read_pass/);
    expect(out).toContain('No more reverse-execution history.');
    expect(out).toMatch(/\[Inferior 1 \(Remote target\) killed\]/);
    expect(await server.exited).toBe(0);
  }, 120_000);

  it('reverse-finish goes back to the call in the caller', async () => {
    const server = await gdbserver();
    const out = await gdb([`target remote :${server.port}`, 'break read_pass', 'continue', 'delete', 'next', 'next', 'reverse-finish', 'kill']);
    expect(out).toMatch(/^60\s+sum \+= base/m);
    expect(out).toMatch(/0x[0-9a-f]+ in main \(.*\) at src\/exos\/apps\/memwalk\.c:78\n78\s+sum = read_pass\(base, n\);/);
    expect(await server.exited).toBe(0);
  }, 120_000);

  it('a second gdb is refused with a clear message while the first is attached', async () => {
    const server = await gdbserver();
    const first = spawn('gdb-multiarch', ['-nx', '-batch', '-ex', `target remote :${server.port}`, '-ex', 'shell sleep 3', '-ex', 'detach'], { cwd: ROOT });
    children.push(first);
    for (let i = 0; i < 100 && !/debugger attached/.test(server.log()); i++) await new Promise((r) => setTimeout(r, 50));
    const second = await gdb([`target remote :${server.port}`]);
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
    expect(out).toMatch(/\* 1 +Thread 1 \(hello\.elf \(running on the CPU\)\)/);
    expect(out).toMatch(/Breakpoint 1, 0x[0-9a-f]+ in main \(\)/);
    expect(out).toMatch(/=> 0x[0-9a-f]+ <printf>:\taddiu\tsp,sp,-40/);
    expect(out).toContain('[Inferior 1 (Remote target) exited normally]');
    expect(await server.exited).toBe(0);
    expect(server.stdout()).toMatch(/^hello from exoscope bare metal\n[\s\S]*hello done\n$/);
  }, 120_000);
});
