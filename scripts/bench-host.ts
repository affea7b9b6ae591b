/**
 * `npm run bench:host`: what one host sample costs the dashboard's event loop. Each sample's
 * wall time is mostly waiting (df and /proc reads run outside the loop); what matters is the
 * longest stretch the loop is blocked, measured with monitorEventLoopDelay (1 ms resolution)
 * while sampling, against the same measurement with the process idle — the baseline.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { HostSampler } from '../src/monitor/host/sampler.js';
import { fmt, machineLine, percentile, printTable } from './lib/table.js';

const RUNS = 50;

function loopDelay() {
  const h = monitorEventLoopDelay({ resolution: 1 });
  h.enable();
  return () => {
    h.disable();
    // The histogram counts the timer's lateness, which includes its 1 ms resolution.
    return { p99: h.percentile(99) / 1e6, max: h.max / 1e6 };
  };
}

const sampler = new HostSampler({
  mounts: [],
  enginePids: () => [{ engine: 'self', pid: process.pid }],
});
await sampler.sample(); // warm-up: module loading and first readings are not the steady state

const walls: number[] = [];
const samplingDelay = loopDelay();
for (let i = 0; i < RUNS; i++) {
  const t0 = performance.now();
  await sampler.sample();
  walls.push(performance.now() - t0);
  await sleep(20);
}
const sampling = samplingDelay();

const idleDelay = loopDelay();
await sleep(RUNS * 40);
const idle = idleDelay();

walls.sort((a, b) => a - b);
console.log(await machineLine());
printTable(
  ['measure', 'p50 ms', 'p99 ms', 'max ms'],
  [
    [
      'wall time per sample',
      fmt(percentile(walls, 50)),
      fmt(percentile(walls, 99)),
      fmt(walls.at(-1) ?? 0),
    ],
    ['event-loop delay while sampling (all samples)', '', fmt(sampling.p99), fmt(sampling.max)],
    ['baseline: event-loop delay idle', '', fmt(idle.p99), fmt(idle.max)],
  ],
);
console.log(
  `\n${RUNS} samples, 20 ms apart. The longest block is the max event-loop delay while sampling (less the baseline's); target ≤ 50 ms.`,
);
