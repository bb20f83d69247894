import { loadScenario } from '/work/main/src/session/index.ts';
import { recordScenario } from '/work/main/src/tui/record.ts';
const sc = loadScenario(process.argv[2]);
const t0 = performance.now();
const r = await recordScenario(sc, process.argv[3], { cols: 120, rows: 40 });
console.log(r, (performance.now() - t0).toFixed(0), 'ms');
