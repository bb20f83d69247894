// The TUI's public face (ARCHITECTURE.md). What `exoscope tui` does:
//
//   if (!hasTerminal()) { stderr(noTerminalMessage()); return 2; }
//   return await runTui({ session, title: scenarioName });
//
// runTui owns the terminal until it resolves (alternate screen, raw mode)
// and resolves with the exit status; it never calls process.exit.

export { runTui, noTerminalMessage, hasTerminal, type TuiOptions } from './main.js';
export type { Driver, DriverOptions, ExternalControl } from './driver.js';
export { playScenario, recordScenario, checkRecordable, type PlayOptions, type PlayResult, type RecordOptions } from './record.js';
export { checkKeyTrack, parseKeyText } from './keytrack.js';
