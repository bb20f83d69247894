// `exoscope disasm <elf>`: the listing of an ELF, as objdump -d prints it.

import { disassembleElf } from '../emu/index.js';
import { loadElfFile } from './run.js';

/** The listing of the ELF at `path`; throws CliError (status 2) for a bad file. */
export function disasmElf(path: string): string {
  return disassembleElf(loadElfFile(path), path);
}
