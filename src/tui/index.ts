// The TUI's public face (ARCHITECTURE.md): what cli.ts calls.

export { runTui, noTerminalMessage, hasTerminal, type TuiOptions } from './main.js';
export type { DriverOptions } from './driver.js';
