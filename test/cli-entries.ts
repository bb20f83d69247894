// The sources test/global-setup.ts bundles for the tests' child processes.

export const CLI_ENTRIES = ['src/cli/main.ts', 'test/tui/fixtures/tui-entry.ts'] as const;
export type CliEntry = (typeof CLI_ENTRIES)[number];

declare module 'vitest' {
  interface ProvidedContext {
    /** The bundle's folder, relative to the package's (test/global-setup.ts). */
    cliBundle: string;
  }
}
