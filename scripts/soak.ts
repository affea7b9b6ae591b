/**
 * `npm run soak -- --minutes N`: the dashboard (a real process) under a long, steady load — the
 * demo engine writing every 50 ms, 100 SSE clients on /live, and a polling load on the JSON API
 * and pages — with RSS, heap, event-loop delay p99 and open file descriptors read from its own
 * /metrics at intervals, error counts, and a verdict on growth at the end.
 *
 * Targets: RSS growth < 10 % (after a warm-up of a quarter of the run → last), no error
 * responses, event-loop delay p99 < 50 ms.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { fmt, machineLine, printTable } from './lib/table.js';

const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '5' },
    clients: { type: 'string', default: '100' },
    'write-ms': { type: 'string', default: '50' },
    'think-ms': { type: 'string', default: '100' },
  },
});
const MINUTES = Number(values.minutes);
const CLIENTS = Number(values.clients);
/** Each poller's pause between requests: five pollers at 100 ms ≈ 40 requests/s. */
const THINK_MS = Number(values['think-ms']);
if (!(MINUTES > 0) || !(CLIENTS >= 0))
  throw new Error('usage: soak [--minutes N] [--clients N] [--write-ms MS]');
const REPORTS = Math.min(20, Math.max(4, Math.round(MINUTES * 2)));
const INTERVAL_MS = (MINUTES * 60_000) / REPORTS;

const dir = mkdtempSync(join(tmpdir(), 'tradewatch-soak-'));
const db = join(dir, 'engine.db');
const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));

const engine = spawn(
  process.execPath,
  [
    here('./simulate-engine.js'),
    '--db',
    db,
    '--interval-ms',
    String(values['write-ms']),
    '--quiet',
  ],
  { stdio: 'inherit' },
);
// SOAK_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles the dashboard under the load.
const nodeArgs = process.env.SOAK_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
const dashboard: ChildProcess = spawn(
  process.execPath,
  [
    ...nodeArgs,
    here('../src/cli.js'),
    ...['--db', `soak=${db}`, '--port', '0', '--poll-ms', '250', '--data-dir', dir],
    ...['trading', 'system', 'error'].flatMap((n) => [
      '--log',
      `${n}=${join(dir, 'logs', `${n}.log`)}`,
    ]),
  ],
  { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, TRADEWATCH_LOG_LEVEL: 'warn' } },
);
let base = '';
for await (const line of createInterface({ input: dashboard.stdout as NodeJS.ReadableStream })) {
  const match = /listening on (https?:\/\/[^\s"]+)/.exec(line);
  if (match?.[1]) {
    base = match[1];
    dashboard.stdout?.resume();
    break;
  }
}

const errors = { responses: 0, requestFailures: 0, sseDrops: 0 };
let requests = 0;
let sseBytes = 0;
let stopping = false;

/** 100 browsers with /live open: each reads its stream and reconnects if it is dropped. */
function sseClient(): void {
  const req = get(`${base}/live/stream/live`, (res) => {
    if (res.statusCode !== 200) errors.responses++;
    res.on('data', (chunk: Buffer) => {
      sseBytes += chunk.length;
    });
    res.on('close', () => {
      if (stopping) return;
      errors.sseDrops++;
      setTimeout(sseClient, 1000);
    });
  });
  req.on('error', () => {
    if (!stopping) errors.requestFailures++;
  });
}
for (let i = 0; i < CLIENTS; i++) sseClient();

/** Five pollers cycling through the API and pages (scripts, Prometheus-like scrapers, page loads). */
const PATHS = [
  '/api/live/status',
  '/api/v1/state',
  '/live',
  '/api/v1/stats/today',
  '/alerts',
  '/system',
  '/api/v1/monitoring/system-status',
];
async function poller(offset: number): Promise<void> {
  for (let i = offset; !stopping; i++) {
    try {
      const res = await fetch(base + PATHS[i % PATHS.length]);
      await res.arrayBuffer();
      requests++;
      if (res.status >= 400) errors.responses++;
    } catch {
      if (!stopping) errors.requestFailures++;
    }
    await new Promise((r) => setTimeout(r, THINK_MS));
  }
}
const pollers = Array.from({ length: 5 }, (_, i) => poller(i));

async function scrape() {
  const text = await (await fetch(`${base}/metrics`)).text();
  const metric = (name: string) =>
    Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? Number.NaN);
  return {
    rssMb: metric('process_resident_memory_bytes') / 1024 / 1024,
    heapMb: metric('nodejs_heap_size_used_bytes') / 1024 / 1024,
    lagP99Ms: metric('nodejs_eventloop_lag_p99_seconds') * 1000,
    fds: metric('process_open_fds'),
  };
}

console.log(await machineLine());
console.log(
  `soak: ${MINUTES} min, ${CLIENTS} SSE clients, engine writing every ${values['write-ms']} ms, 5 pollers pausing ${THINK_MS} ms\n`,
);
const rows: Array<Array<string | number>> = [];
const samples: Array<Awaited<ReturnType<typeof scrape>>> = [];
const started = Date.now();
for (let i = 1; i <= REPORTS; i++) {
  await new Promise((r) => setTimeout(r, INTERVAL_MS));
  const s = await scrape();
  samples.push(s);
  const row = [
    fmt((Date.now() - started) / 60_000, 1),
    fmt(s.rssMb),
    fmt(s.heapMb),
    fmt(s.lagP99Ms, 2),
    s.fds,
    requests,
    errors.responses + errors.requestFailures,
    errors.sseDrops,
  ];
  rows.push(row);
  console.log(`  ${row.join('  ')}`);
}
stopping = true;
console.log('');
printTable(
  ['minute', 'RSS MB', 'heap MB', 'loop p99 ms', 'open fds', 'requests', 'errors', 'SSE drops'],
  rows,
);

// Growth is judged after a warm-up of a quarter of the run: malloc arenas, SQLite page caches
// and the JIT fill up in the first minutes and then stay. First → last is printed as well.
const first = samples[0];
const baseline = samples[Math.floor(samples.length / 4)];
const last = samples.at(-1);
const pct = (from?: { rssMb: number }, to?: { rssMb: number }) =>
  from && to ? ((to.rssMb - from.rssMb) / from.rssMb) * 100 : Number.NaN;
const growth = pct(baseline, last);
const worstLag = Math.max(...samples.map((s) => s.lagP99Ms));
const verdicts = [
  [
    `RSS growth ${fmt(growth)} % after warm-up (report ${Math.floor(samples.length / 4) + 1} → last; first → last ${fmt(pct(first, last))} %)`,
    growth < 10,
  ],
  [
    `error responses ${errors.responses + errors.requestFailures}`,
    errors.responses + errors.requestFailures === 0,
  ],
  [`event-loop delay p99 ≤ ${fmt(worstLag, 2)} ms`, worstLag < 50],
  [`SSE clients dropped ${errors.sseDrops}`, errors.sseDrops === 0],
] as const;
console.log('');
for (const [text, ok] of verdicts) console.log(`${ok ? 'PASS' : 'FAIL'}  ${text}`);
console.log(`\n${requests} requests, ${fmt(sseBytes / 1024 / 1024)} MB of SSE received.`);

for (const child of [engine, dashboard]) {
  child.kill('SIGTERM');
  await once(child, 'exit');
}
await Promise.allSettled(pollers);
rmSync(dir, { recursive: true, force: true });
process.exit(verdicts.every(([, ok]) => ok) ? 0 : 1);
