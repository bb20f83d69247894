#!/usr/bin/env node
// build-guest.mjs: builds every bare-metal guest image with Debian's MIPS
// cross compiler and writes it to src/exos/images/<name>.elf.
//
//   npm run guest              rebuild the committed images
//   npm run guest -- --check   rebuild into a temporary directory and exit 1
//                              naming every image that differs (CI runs this)
//   npm run guest -- NAME...   rebuild only the named images
//
// Images are reproducible: each source is compiled to a named object file
// (a one-step `gcc a.c b.c` gives the temporary objects random names, and
// those names land in the symbol table), the compiler runs from the
// repository root with relative paths, there is no -g and no build-id, and
// the link script (src/exos/baremetal/baremetal.ld) discards .comment and
// the MIPS ABI notes. Built with the compiler named by $EXOS_CROSS
// (default mipsel-linux-gnu-), i.e. gcc-mipsel-linux-gnu from Debian 12.

import { execFile, spawnSync } from 'node:child_process';
import { mkdtemp, mkdir, readFile, rm, copyFile } from 'node:fs/promises';
import { tmpdir, availableParallelism } from 'node:os';
import { join, dirname, basename, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const CROSS = process.env.EXOS_CROSS ?? 'mipsel-linux-gnu-';
const CC = `${CROSS}gcc`;
const AR = `${CROSS}ar`;
const IMAGES = 'src/exos/images';
const LINK_SCRIPT = 'src/exos/baremetal/baremetal.ld';

// Flags from the architecture page: MIPS I, no FPU code, no PIC/abicalls,
// no small-data section, freestanding, no libgcc (Debian's is built for a
// newer MIPS; rt.c provides what gcc calls). Loop-pattern distribution is
// off so that memset/memcpy loops are not compiled into calls to themselves.
const CFLAGS = [
  '-march=r3000', '-mfp32', '-msoft-float', '-mno-abicalls', '-fno-pic',
  '-G0', '-ffreestanding', '-nostdlib', '-O2',
  '-fno-tree-loop-distribute-patterns', '-fno-ident',
  '-Wall', '-Wextra', '-Isrc/exos/baremetal', '-Isrc/exos/libc',
];
const DEBUG_CFLAGS = ['-g', '-Og', '-fno-inline', '-fno-asynchronous-unwind-tables', '-fno-unwind-tables', `-fdebug-prefix-map=${ROOT}=.`];
const LDFLAGS = [
  '-static', '-no-pie', '-nostdlib', `-T${LINK_SCRIPT}`,
  '-Wl,--build-id=none', '-Wl,-z,max-page-size=16', '-Wl,--no-warn-rwx-segments',
];

const BM = 'src/exos/baremetal';
const CONF = 'src/exos/conformance';
// The one small C library every guest links (src/exos/libc/libc.h): the
// string functions and the printf core; each runtime adds its own output.
const LIBC = ['string.c', 'format.c'].map((f) => `src/exos/libc/${f}`);
const RUNTIME = [`${BM}/crt0.S`, `${BM}/rt.c`, ...LIBC];
const EXC = [...RUNTIME, `${BM}/exc.S`, `${BM}/exc.c`];
const EXCCHECK = [...EXC, `${CONF}/exctest.S`, `${CONF}/exccheck.c`];
const TLB = [...EXCCHECK, `${BM}/tlbutil.c`];
const ASMTEST = [...RUNTIME, `${CONF}/report.c`];
const BENCH = [...RUNTIME, 'src/exos/bench/cpubench.c'];
const MIX = [...RUNTIME, 'src/exos/bench/cpumix.c'];

// ExOS programs (src/exos/apps) run in an environment of the exokernel:
// linked at 0x00400000 by their own script, with the generated ABI header
// (src/exos/include/aegis.h, `npm run abi`). The library OS is an archive,
// libexos.a, and the linker picks from it the modules a program uses: the
// core (system call stubs, exceptions, bring-up, page table, heap,
// console), the interrupt context, threads and the stride scheduler
// (sched.h), visible revocation (revoke.h), protected control transfer
// (pct.h), networking over packet rings (net.h: DPF filters, ARP, IPv4,
// UDP sockets), and the shared C library. crt0.S, the entry, is linked
// first as an object of its own.
const EXOS = 'src/exos/lib';
const EXOS_CRT0 = `${EXOS}/crt0.S`;
const LIBEXOS = {
  name: 'libexos',
  sources: [
    ...['syscall.S', 'trap.S', 'trap.c', 'env.c', 'vm.c', 'malloc.c', 'printf.c', 'console.c'],
    ...['sched.S', 'sched.c', 'thread.c', 'slice.c'],
    ...['upcall.S', 'revoke.c'],
    ...['pct.S', 'pct.c'],
    ...['ring.c', 'dpf.c', 'net.c', 'arp.c', 'ip.c', 'udp.c'],
  ].map((f) => `${EXOS}/${f}`).concat(LIBC),
  includes: ['src/exos/include', EXOS],
};
const EXOS_BUILD = { ldscript: 'src/exos/exos.ld', includes: ['src/exos/include', EXOS], archive: LIBEXOS };
// The kernel paths the exokernel charges (src/exokernel/costs.ts), as
// MIPS I sequences: not a program, an image test/exokernel/costs.test.ts
// runs a sequence at a time on the emulated CPU.
const KASM = ['kdata', 'vector', 'dispatch', 'refill', 'syscall', 'tlbmap', 'interrupt', 'upcall', 'pct', 'yield', 'net', 'dpfhash', 'mpf', 'switch', 'copy', 'frame', 'env']
  .map((f) => `src/exokernel/asm/${f}.S`);
const exos = (name, sources) => ({ name: `exos-${name}`, sources: [EXOS_CRT0, ...sources], ...EXOS_BUILD });
const app = (name) => `src/exos/apps/${name}.c`;

// The monolithic baseline kernel (src/mono): its user programs are built
// first, each linked at 0x00400000 by src/mono/user/user.ld, and embedded
// in the kernel image by src/mono/kernel/initfs.S (.incbin "mono-<name>.elf",
// found on the assembler's include path). The kernel itself is a bare-metal
// program: the runtime's crt0.S and rt.c (console output through the PROM).
const MONO = 'src/mono';
const MONO_USER_LIB = [...['crt0.S', 'usys.S', 'ulib.c'].map((f) => `${MONO}/user/${f}`), ...LIBC];
const MONO_USERS = ['init', 'echo', 'forktest', 'pipetest', 'shmtest', 'sigtest', 'badptr', 'preempt', 'udptest'];
const MONO_KERNEL = [...RUNTIME, ...['vectors.S', 'main.c', 'kalloc.c', 'vm.c', 'proc.c', 'trap.c',
  'syscall.c', 'sysfile.c', 'file.c', 'pipe.c', 'shm.c', 'signal.c', 'exec.c', 'fs.c', 'clock.c', 'net.c', 'inet.c',
  'string.c', 'initfs.S'].map((f) => `${MONO}/kernel/${f}`)];
const monoUser = (name) => ({ name: `mono-${name}`, sources: [...MONO_USER_LIB, `${MONO}/user/${name}.c`],
  ldscript: `${MONO}/user/user.ld`, includes: [`${MONO}/user`] });
// The benchmarks written once against src/bench-common/bench.h, with the
// monolithic kernel's glue (bench-common/mono.c).
const MONO_BENCHES = ['pipe', 'shm', 'vm', 'udp-ping', 'udp-echo'];
const monoBench = (name) => ({ name: `mono-bench-${name}`,
  sources: [...MONO_USER_LIB, 'src/bench-common/mono.c', `src/bench-common/${name}.c`],
  ldscript: `${MONO}/user/user.ld`, includes: [`${MONO}/user`, 'src/bench-common'] });

// Every image: its name, its sources in link order, extra -D defines, and
// for ExOS programs a link script and include directories of their own.
// The conformance programs' expected output is beside their sources: src/exos/conformance/<name>.expected.
const PROGRAMS = [
  { name: 'hello', sources: [...RUNTIME, `${CONF}/hello.c`] },
  { name: 'arith', sources: [...EXC, `${CONF}/arith.c`] },
  { name: 'loadstore', sources: [...RUNTIME, `${CONF}/loadstore.c`] },
  { name: 'branch', sources: [...ASMTEST, `${CONF}/branch.S`] },
  { name: 'loaddelay', sources: [...ASMTEST, `${CONF}/loaddelay.S`] },
  { name: 'exceptions', sources: [...EXCCHECK, `${CONF}/exceptions.c`] },
  { name: 'buserror', sources: [...EXCCHECK, `${CONF}/buserror.c`] },
  { name: 'usermode', sources: [...TLB, `${CONF}/usermode.c`] },
  { name: 'tlb', sources: [...TLB, `${CONF}/tlbtest.S`, `${CONF}/tlb.c`] },
  { name: 'clock', sources: [...EXC, `${CONF}/clock.c`] },
  { name: 'serial', sources: [...RUNTIME, `${CONF}/serial.c`] },
  // About 1.06e9 instructions (50 rounds of about 2.05e7).
  { name: 'cpubench', sources: BENCH, defines: ['CPUBENCH_ROUNDS=50'] },
  { name: 'cpubench-small', sources: BENCH, defines: ['CPUBENCH_ROUNDS=1'] },
  // About 5.3e8 instructions (20 rounds of about 2.66e7): calls, divisions, a jump table (cpumix.c).
  { name: 'cpumix', sources: MIX, defines: ['CPUMIX_ROUNDS=20'] },
  { name: 'cpumix-small', sources: MIX, defines: ['CPUMIX_ROUNDS=1'] },
  { name: 'kernel-paths', sources: KASM },
  exos('hello', ['src/exos/apps/hello.c']),
  exos('memwalk', ['src/exos/apps/memwalk.c']),
  // memwalk with DWARF for gdb (exoscope gdbserver, README): -Og without
  // inlining so every function has a frame, .debug_frame instead of the
  // discarded .eh_frame, and the build directory mapped to "." so the
  // image is the same wherever the repository is checked out.
  { ...exos('memwalk-g', ['src/exos/apps/memwalk.c']), cflags: DEBUG_CFLAGS },
  // hello with DWARF too: a second program with symbols beside memwalk-g,
  // for gdb's one inferior per environment (scenarios/gdb.yaml).
  { ...exos('hello-g', ['src/exos/apps/hello.c']), cflags: DEBUG_CFLAGS },
  exos('share', ['src/exos/apps/share.c']),
  exos('attacker', ['src/exos/apps/attacker.c', 'src/exos/apps/attacker-calls.c',
    'src/exos/apps/attacker-probe.S', 'src/exos/apps/attacker-fuzz.c', 'src/exos/apps/attacker-die.c',
    'src/exos/apps/attacker-victim.c', 'src/exos/apps/attacker-peer.c', 'src/exos/apps/attacker-pct.S',
    'src/exos/apps/attacker-share.c',
    'src/exos/apps/ash-rogue-ash.S']),
  exos('threads', [app('threads')]),
  exos('spinner', [app('spinner'), 'src/exos/apps/spin.S']),
  exos('polite', [app('polite')]),
  exos('donor', [app('donor')]),
  exos('lrpc-server', [app('lrpc-server')]),
  exos('lrpc-client', [app('lrpc-client')]),
  exos('hog', [app('hog')]),
  exos('rogue', [app('rogue')]),
  exos('udp-echo', [app('udp-echo'), app('udp-echo-ash')]),
  exos('udp-ping', [app('udp-ping')]),
  exos('ash-rogue', [app('ash-rogue'), 'src/exos/apps/ash-rogue-ash.S']),
  exos('ash-leak', [app('ash-leak'), 'src/exos/apps/ash-leak-ash.S']),
  // IPC benchmarks of the Aegis paper's IPC table that only ExOS has: the pipe
  // through a file table and its inlined form (pipe'), and LRPC over PCT. The
  // pipe, shm and VM benchmarks both kernels run are src/bench-common's.
  exos('ipc-pipe', [app('ipc-pipe')]),
  exos('ipc-lrpc', [app('ipc-lrpc')]),
  // Exception dispatch timed in guest code: a breakpoint to its handler and back.
  exos('exc-bench', [app('exc-bench'), 'src/exos/apps/exc-bench-asm.S']),
  // Hostile programs: a key forger, a scavenger of freed frames, and a console flood.
  exos('forger', [app('forger')]),
  exos('scavenger', [app('scavenger')]),
  exos('flood', [app('flood')]),
  // The same benchmarks written against src/bench-common/bench.h, with ExOS's glue.
  ...MONO_BENCHES.map((b) => exos(`bench-${b}`, ['src/bench-common/exos.c', `src/bench-common/${b}.c`,
    ...(b.startsWith('udp') ? ['src/bench-common/exos-udp.c'] : [])])),
  { name: 'mono', sources: MONO_KERNEL, includes: [`${MONO}/kernel`], users: [...MONO_USERS.map(monoUser), ...MONO_BENCHES.map(monoBench)] },
  // Hostile programs against the scheduler: a thief that tries to hand
  // its epilogue away, a bystander that checks its registers across yields,
  // and a grabber that takes every free frame and slice.
  exos('thief', [app('thief'), 'src/exos/apps/thief-pct.S']),
  exos('yielder', [app('yielder'), 'src/exos/apps/yielder-regs.S']),
  exos('grabber', [app('grabber')]),
];

/** Exits with a clear message unless the cross compiler runs. */
function requireCompiler() {
  const r = spawnSync(CC, ['--version'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) {
    console.error(`Cannot build guest images: ${CC} was not found or does not run.\n` +
      'Install the Debian cross compiler (apt-get install gcc-mipsel-linux-gnu)\n' +
      'or set EXOS_CROSS to the prefix of another mipsel-linux-gnu toolchain.');
    process.exit(2);
  }
  return r.stdout.split('\n')[0];
}

/** Object file name for one source of one program: unique and readable. */
function objectName(outDir, prog, src) {
  return join(outDir, 'obj', prog.name, relative('src/exos', src).replaceAll('/', '__') + '.o');
}

/** The -D, -I and extra flags of one program or library. */
function compileFlags(prog) {
  return [...(prog.defines ?? []).map((d) => `-D${d}`), ...(prog.includes ?? []).map((i) => `-I${i}`), ...(prog.cflags ?? [])];
}

/** Compiles each of prog's sources to its own object file; returns their paths in order. */
async function compile(prog, outDir, defines) {
  const objects = [];
  await mkdir(join(outDir, 'obj', prog.name), { recursive: true });
  for (const src of prog.sources) {
    const obj = objectName(outDir, prog, src);
    await cc([...CFLAGS, ...defines, '-c', src, '-o', obj]);
    objects.push(obj);
  }
  return objects;
}

// Archives built in this run, by name: each is built once and shared.
const archives = new Map();

/**
 * The archive of `lib` as built for `prog` (with prog's extra flags, so
 * memwalk-g's library has its -g too), built once; resolves to its path.
 * `ar D` makes it deterministic (no dates, owners or modes).
 */
function archiveFor(lib, prog, outDir) {
  const name = prog.cflags ? `${lib.name}-for-${prog.name}` : lib.name;
  if (!archives.has(name)) {
    archives.set(name, (async () => {
      const variant = { ...lib, name, cflags: prog.cflags };
      const objects = await compile(variant, outDir, compileFlags(variant));
      const path = join(outDir, 'obj', `${name}.a`);
      await tool(AR, ['rcsD', path, ...objects]);
      return path;
    })());
  }
  return archives.get(name);
}

/** Compiles and links one program into outDir/<name>.elf; throws on error. */
async function buildProgram(prog, outDir) {
  const defines = compileFlags(prog);
  if (prog.users) {
    // Programs embedded with .incbin: built first, into a directory only the assembler searches.
    const usersDir = join(outDir, 'obj', prog.name, 'users');
    for (const user of prog.users) await buildProgram(user, usersDir);
    defines.push(`-Wa,-I${usersDir}`);
  }
  const ldflags = LDFLAGS.map((f) => (prog.ldscript && f === `-T${LINK_SCRIPT}` ? `-T${prog.ldscript}` : f));
  const objects = await compile(prog, outDir, defines);
  // A library goes after the objects: the linker takes from it the members they need.
  if (prog.archive) objects.push(await archiveFor(prog.archive, prog, outDir));
  const elf = join(outDir, `${prog.name}.elf`);
  await cc([...CFLAGS, ...ldflags, ...objects, '-o', elf]);
  return elf;
}

/** Runs the compiler from the repository root; throws with its stderr. */
const cc = (args) => tool(CC, args);

/** Runs a cross tool from the repository root; throws with its stderr. */
async function tool(cmd, args) {
  try {
    const { stderr } = await run(cmd, args, { cwd: ROOT });
    if (stderr.trim()) process.stderr.write(stderr);
  } catch (err) {
    throw new Error(`${cmd} ${args.join(' ')}\n${err.stderr ?? err.message}`);
  }
}

/** Runs fn over items with at most `limit` in flight; returns the results. */
async function pool(items, limit, fn) {
  const results = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

async function main() {
  const args = process.argv.slice(2);
  const check = args.includes('--check');
  const names = args.filter((a) => !a.startsWith('--'));
  const unknown = names.filter((n) => !PROGRAMS.some((p) => p.name === n));
  if (unknown.length) {
    console.error(`Unknown guest image ${unknown.join(', ')}; known: ` +
      PROGRAMS.map((p) => p.name).join(', '));
    process.exit(2);
  }
  const progs = names.length ? PROGRAMS.filter((p) => names.includes(p.name)) : PROGRAMS;
  const version = requireCompiler();

  const tmp = await mkdtemp(join(tmpdir(), 'exos-guest-'));
  try {
    const built = await pool(progs, availableParallelism(), async (p) => {
      const elf = await buildProgram(p, tmp);
      return { name: p.name, elf };
    });
    if (check) {
      const differ = [];
      for (const { name, elf } of built) {
        const committed = await readFile(join(ROOT, IMAGES, `${name}.elf`)).catch(() => null);
        const fresh = await readFile(elf);
        if (!committed || !committed.equals(fresh)) differ.push(name);
      }
      if (differ.length) {
        console.error(`Guest images differ from their sources: ${differ.join(', ')}\n` +
          `(built with ${version}; run \`npm run guest\` and commit ${IMAGES}/)`);
        process.exitCode = 1;
        return;
      }
      console.log(`All ${built.length} guest images match their sources.`);
    } else {
      await mkdir(join(ROOT, IMAGES), { recursive: true });
      for (const { name, elf } of built) {
        await copyFile(elf, join(ROOT, IMAGES, `${name}.elf`));
        console.log(`${IMAGES}/${basename(elf)}`);
      }
    }
  } catch (err) {
    console.error(err.message);
    process.exitCode = 1;
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

await main();
