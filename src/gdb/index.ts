// The GDB remote protocol's public face: a server over a Target, the
// Session's and the bare machine's Targets, and serving them (src/cli
// wires these to the command line).

export { GdbServer, BUSY, type GdbServerOptions } from './server.js';
export { Connection, type Transport } from './connection.js';
export { SessionTarget, type SessionTargetOptions } from './session-target.js';
export { IDLE_TID, type Target, type StopInfo, type ThreadInfo, type Resume, type WatchKind } from './target.js';
export { serveSession, imagePaths, runElfGdb, gdbBesideTui, type ExternalDisplay, type ServeOptions, type RunGdbOptions } from './serve.js';
export { MachineTarget, PROGRAM_TID } from './machine-target.js';
