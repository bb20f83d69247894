// The session layer's public face (docs/architecture.md). The TUI imports
// only the Debugger (debugger.ts) and plain data types and tables from
// here; the command-line entry points (src/cli) use the rest.

export { Session, type RunHook, type Stop, type TravelJob } from './session.js';
export type { EnvSpec, SessionSetup } from './machines.js';
export type { Intervention, PlacedIntervention } from './interventions.js';
export { describeBreakpoint, sameTarget, watchKind, type Access, type Breakpoint, type Hit, type ResolvedBreakpoint } from '../scenario/index.js';
export { execute, breakpointLines, type AddrSpec, type Command, type Outcome, type RevokeWhat } from './command.js';
export { LiveDebugger, type Debugger, type DebuggerOptions, type DebuggerState, type ExternalControl, type FrontEnd, type RunStatus, type Said } from './debugger.js';
export { openPlayable, openScenarioDebugger, type OpenedScenario, type Playable } from './open.js';
export { ScenarioRun, runLimit, type FrontEndStep, type ScenarioRunOptions } from './scenario-run.js';
export { describeExpectation, type ExpectationView, type ScenarioView, type Verdict } from './expect.js';
export { DEFAULT_PACE, MAX_PACE, PACES, paceChoices, paceLabel, paceMoved, parsePace } from './pace.js';
export { shareUnchanged, takeSnapshot, type Snapshot, type SnapshotOptions, type EnvView, type TlbRow, type StlbRow, type CodeLine, type FrameAccess } from './snapshot.js';
export { CheckpointStore, type CheckpointLimits, type CheckpointTarget } from './checkpoints.js';
export { History, SPILL_BYTES, eventAbout, eventEnv, fdSpillFile, tempSpillFile, type HistoryOptions, type PairCount, type SpillFile } from './history.js';
export { HistoryLog, type LogEntry, type LogSource } from './log-window.js';
export { readSaved, writeSaved, SavedSessionError, SAVED_FORMAT, SAVED_VERSION, type SavedSession } from './saved.js';
export type { MemoryRequest, MemoryWindow } from './memory-window.js';
export { finish, reverseContinue, reverseNext, reversePrevious, reverseWatch, toEvent, travelling, type Search } from './travel.js';
export { replay, sessionFromScenario, type ReplayOptions, type ReplayResult } from './replay.js';
export { matchEvent } from './match.js';
export { Timeline, fireStep, type LogLine } from './timeline.js';
export { formatJson, formatText } from './format.js';
// The scenario language (src/scenario) and the monolithic kernel's host
// side (src/monolithic), re-exported for the front ends.
export { IMAGE_MAX_BYTES, readRegularFile, RAM_MAX_MIB, RAM_MIN_MIB, formatLocation, loadScenario, parseScenario, ScenarioError, type Action, type Located, type Scenario, type TimelineStep, type PacketSpec } from '../scenario/index.js';
export { CastFile, castEvent, castHeader, frameUpdate, RecordError, ttyOutput, type CastHeader } from './cast.js';
export { MONO_SYSCALLS, diffMonoCounters, measureMono, monoSymbols, readMonoCounters, type MonoCounters, type MonoRun, type MonoRunOptions, type MonoSymbols, type MonoWindow } from '../monolithic/index.js';
export { MonoSession, type MonoSetup } from './mono-session.js';
export { MonoStation, type MonoStationSetup } from './mono-station.js';
export { MonoDebugger, type MonoDebuggerOptions } from './mono-debugger.js';
export { monoSessionFromScenario, openMonoDebugger, replayMono, matchMonoEvent, type OpenedMono } from './mono-run.js';
export { takeMonoSnapshot, monoSnapshotContext, programSymbols } from './mono-snapshot.js';
export type { MonoView } from './snapshot.js';
export type { ProcessView } from '../monolithic/index.js';
export * from './catalogue.js';
export { CHECKPOINT_EVERY } from './checkpoint-every.js';
