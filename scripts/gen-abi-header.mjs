#!/usr/bin/env node
// gen-abi-header.mjs: writes src/exos/include/aegis.h, the C header of the
// exokernel ABI, from src/exokernel/abi.ts (generator: scripts/abi-header.ts).
//
//   npm run abi                 regenerate the header
//   npm run abi -- --check      exit 1 if the committed header is stale
//
// Needs tsx to import TypeScript: node --import tsx scripts/gen-abi-header.mjs

import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateAbiHeader, HEADER_PATH } from './abi-header.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const path = join(ROOT, HEADER_PATH);
const fresh = generateAbiHeader();

if (process.argv.includes('--check')) {
  const committed = await readFile(path, 'utf8').catch(() => null);
  if (committed !== fresh) {
    console.error(`${HEADER_PATH} is stale: run \`npm run abi\` and commit it.`);
    process.exit(1);
  }
  console.log(`${HEADER_PATH} matches src/exokernel/abi.ts.`);
} else {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, fresh);
  console.log(HEADER_PATH);
}
