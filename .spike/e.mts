import { parseScenario } from '/work/main/src/session/index.ts';
import { playScenario } from '/work/main/src/tui/record.ts';
import { readFileSync } from 'node:fs';
const text = readFileSync('/work/main/test/tui/record.test.ts','utf8').split('`')[1];
const r = await playScenario(parseScenario(text, 'x.yaml'), { cols: 120, rows: 40, frame: (us, f) => { const l = f.split('\n'); console.log(us, l[0].replace(/\x1b\[[0-9;]*m/g,'').slice(0,40), '|', l[1].replace(/\x1b\[[0-9;]*m/g,'').slice(0,60), '|', l.at(-1)!.replace(/\x1b\[[0-9;]*m/g,'').slice(0,50)); } });
