// The session layer's public face (ARCHITECTURE.md).

export { Session, type Breakpoint, type EnvSpec, type SessionSetup, type Stop } from './session.js';
export { takeSnapshot, type Snapshot, type SnapshotOptions, type EnvView, type TlbRow, type StlbRow, type CodeLine } from './snapshot.js';
export { CheckpointStore, type CheckpointLimits } from './checkpoints.js';
export { replay, sessionFromScenario, toBreakpoint, matchEvent, type LogLine, type ReplayOptions, type ReplayResult } from './replay.js';
export { formatJson, formatText } from './format.js';
export { loadScenario, parseScenario, ScenarioError, type Scenario } from './scenario.js';
