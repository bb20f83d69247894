// The session layer's public face (ARCHITECTURE.md).

export { Session, type Breakpoint, type EnvSpec, type SessionSetup, type Stop } from './session.js';
export { takeSnapshot, type Snapshot, type SnapshotOptions, type EnvView, type TlbRow, type StlbRow, type CodeLine, type FrameAccess } from './snapshot.js';
export { CheckpointStore, type CheckpointLimits } from './checkpoints.js';
export { replay, sessionFromScenario, toBreakpoint, matchEvent, type LogLine, type ReplayOptions, type ReplayResult } from './replay.js';
export { Timeline, fireStep, addScenarioBreakpoint } from './timeline.js';
export { formatJson, formatText } from './format.js';
export { formatLocation, loadScenario, parseScenario, ScenarioError, type Action, type Located, type Scenario, type TimelineStep } from './scenario.js';
export { CastFile, castEvent, castHeader, frameUpdate, RecordError, ttyOutput, type CastHeader } from './cast.js';
export type { PacketSpec } from './scenario-types.js';
