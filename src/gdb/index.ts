// The GDB remote protocol's public face: a server over a Target, the
// Session's Target, and the command-line wiring.

export { GdbServer, BUSY, type GdbServerOptions } from './server.js';
export { Connection, type Transport } from './connection.js';
export { SessionTarget, type SessionTargetOptions } from './session-target.js';
export { IDLE_TID, type Target, type StopInfo, type ThreadInfo, type Resume, type WatchKind } from './target.js';
export { addGdbServerCommand, gdbserverCommand, serveSession, imagePaths, runElfGdb, gdbBesideTui, type DebuggerDisplay, type GdbServerCliOptions, type RunGdbOptions } from './cli.js';
export { MachineTarget, PROGRAM_TID } from './machine-target.js';
