// The threads a debugger follows, as the stub (stub.ts) lists and names
// them: every thread of the target but those of the processes it detached
// from (D;pid), spelled as plain ids or, with the multiprocess extensions,
// `pPID.TID` (ptid.ts); and the queries about them (GDB manual, E.4:
// qC, qfThreadInfo/qsThreadInfo, qThreadExtraInfo).

import { toHex } from './packet.js';
import { formatThreadId, parseThreadId } from './ptid.js';
import { IDLE_TID, type Target, type ThreadInfo } from './target.js';

/** One connection's view of the target's threads. */
export class Followed {
  /** Whether the multiprocess extensions were agreed (qSupported). */
  multiprocess = false;
  private readonly detached = new Set<number>();
  /** Threads the debugger has been told of (listed, or named by a stop): only their processes' ends are its news. */
  private readonly told = new Set<number>();

  constructor(private readonly target: Target) {}

  /** The threads followed, in the target's order. */
  list(): ThreadInfo[] {
    return this.target.threads().filter((t) => !this.detached.has(t.tid));
  }

  /** Whether thread `tid` exists and is followed. */
  known(tid: number): boolean {
    return this.list().some((t) => t.tid === tid);
  }

  /** Whether the debugger detached from thread `tid`'s process. */
  left(tid: number): boolean {
    return this.detached.has(tid);
  }

  /** Whether the debugger knows thread `tid` (an end of a process it never saw would be news of nothing to it). */
  heardOf(tid: number): boolean {
    return this.told.has(tid);
  }

  /** The debugger was told of thread `tid` (a stop reply names it). */
  tell(tid: number): void {
    this.told.add(tid);
  }

  /** Stops following thread `tid`'s process (D;pid). */
  leave(tid: number): void {
    this.detached.add(tid);
  }

  /** Thread `tid` as the protocol spells it now. */
  id(tid: number): string {
    return formatThreadId(tid, this.multiprocess);
  }

  /** The thread on the CPU, or the first one followed when that one is not. */
  current(): number {
    const cur = this.target.currentThread();
    return this.known(cur) ? cur : this.list()[0]?.tid ?? cur;
  }

  /**
   * The thread to show before anything has run: the one on the CPU, or,
   * when the CPU idles (at boot), the first environment, so that GDB
   * starts at a program's entry rather than in the kernel.
   */
  first(): number {
    const cur = this.current();
    return cur !== IDLE_TID ? cur : this.list()[0]?.tid ?? cur;
  }

  /** The answer to a thread query; undefined when `data` is none. */
  query(data: string): string | undefined {
    if (data === 'qC') return `QC${this.id(this.current())}`;
    if (data === 'qfThreadInfo') return 'm' + this.list().map((t) => { this.told.add(t.tid); return this.id(t.tid); }).join(',');
    if (data === 'qsThreadInfo') return 'l';
    if (!data.startsWith('qThreadExtraInfo,')) return undefined;
    const t = parseThreadId(data.slice(17));
    const th = this.list().find((x) => x.tid === t);
    // E16: no such thread (stub.ts's invalid argument).
    return th ? toHex(Buffer.from(`${th.name} (${th.state})`, 'latin1')) : 'E16';
  }
}
