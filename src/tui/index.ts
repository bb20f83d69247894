// The TUI's public face (docs/architecture.md, "The TUI"). What `exoscope tui` does:
//
//   if (!hasTerminal()) { stderr(noTerminalMessage()); return 2; }
//   return await runTui({ driver, title: scenarioName });   // driver: a session Debugger
//
// runTui owns the terminal until it resolves (alternate screen, raw mode)
// and resolves with the exit status; it never calls process.exit.

export { runTui, noTerminalMessage, hasTerminal, type TuiOptions } from './main.js';
export { playScenario, recordScenario, checkRecordable, type PlayOptions, type PlayResult, type RecordOptions } from './record.js';
export { checkKeyTrack, parseKeyText } from './keytrack.js';
