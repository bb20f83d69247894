// Network round trips, in emulated microseconds at 25 MHz, beside
// the Aegis paper's figures (ExOS 320 us, ExOS with an ASH 259 us, between
// two DECstation 5000/125s). Here the far end is the simulated peer host on
// the wire, which answers after a fixed 100 us, so the figures below are:
// the echo server's turnaround (a datagram's arrival at the LANCE to the
// echo leaving it) with its own code and with an ASH, alone and beside a
// CPU-bound environment; and udp-ping's full round trip through the peer.
// Nothing is asserted.

import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { parseScenario, replay } = await import(join(root, 'dist/session/index.js'));
const img = (n) => join(root, 'src/exos/images', `exos-${n}.elf`);
const us = (c) => (c / 25).toFixed(1);

/** Average cycles from each injected datagram's arrival to the echo leaving, for a server. */
function turnaround(ash, busy) {
  const text = `name: bench
environments:
  - { name: echo, image: ${img('udp-echo')}, args: ["10.0.0.2", "7", ${ash ? '"ash", ' : ''}"20"] }
${busy ? `  - { name: spin, image: ${img('spinner')}, args: ["100000"], slices: 3 }\n` : ''}timeline:
  - at: { cycle: 400000 }
    do: { inject: { udp: { to: "10.0.0.2", port: 7, payload: "ping" }, count: 20, every: 250000 } }
run:
  until: 6000000
`;
  const sc = parseScenario(text, join(root, 'scenarios/bench.yaml'));
  const arrivals = [], sends = [];
  replay(sc, { onLine: (l) => {
    if (l.kind !== 'event') return;
    if (l.event.kind === 'packet-received') arrivals.push(l.event.cycle);
    if (l.event.kind === 'packet-sent') sends.push(l.event.cycle);
  } });
  const n = Math.min(arrivals.length, sends.length);
  let sum = 0;
  for (let i = 0; i < n; i++) sum += sends[i] - arrivals[i];
  return { avg: sum / Math.max(1, n), n };
}

function pingRtt() {
  const sc = parseScenario(`name: bench
environments:
  - { name: ping, image: ${img('udp-ping')}, args: ["10.0.0.2", "10.0.0.1", "7", "50"] }
`, join(root, 'scenarios/bench.yaml'));
  const sent = [], back = [];
  replay(sc, { onLine: (l) => {
    if (l.kind !== 'event') return;
    if (l.event.kind === 'packet-sent') sent.push(l.event.cycle);
    if (l.event.kind === 'packet-delivered') back.push(l.event.cycle);
  } });
  let sum = 0, n = 0;
  for (let i = 1; i < Math.min(sent.length, back.length); i++) { sum += back[i] - sent[i]; n++; } // [0] is ARP
  return { avg: sum / Math.max(1, n), n };
}

for (const busy of [false, true]) {
  const plain = turnaround(false, busy), ash = turnaround(true, busy);
  console.log(`echo turnaround${busy ? ' beside a CPU-bound environment' : ', alone'}: own code ${us(plain.avg)} us, ASH ${us(ash.avg)} us (${plain.n}/${ash.n} datagrams)`);
}
const p = pingRtt();
console.log(`udp-ping round trip through the peer (its 100 us delay included): ${us(p.avg)} us (${p.n} datagrams); the paper: ExOS 320 us, ExOS/ASH 259 us, Ultrix 3400 us`);
