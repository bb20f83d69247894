import { parseScenario } from '/work/main/src/session/index.ts';
import { playScenario } from '/work/main/src/tui/record.ts';
import { readFileSync } from 'node:fs';
const text = readFileSync('/work/main/test/tui/record.test.ts','utf8').split('`')[1];
const times: number[] = [];
const r = await playScenario(parseScenario(text, 'x.yaml'), { cols: 120, rows: 40, frame: (us, f) => times.push(us) });
console.log(r, times);
