/**
 * `npm run bench:dashboard`: what the dashboard costs.
 *
 * 1. Poll ticks: unchanged (data_version only), every key changed, and five keys changed, for
 *    10 to 10,000 symbols.
 * 2. HTTP: GET /api/live/status with 1,000 symbols, 50 connections, autocannon in this process;
 *    the real dashboard (`dist/src/cli.js`) and, beside it, the original design's per-request
 *    SQLite handler, each in its own process. An engine writes every symbol once a second
 *    throughout, so snapshots keep changing.
 * 3. The dashboard's RSS idle and under that load.
 *
 * Flags: --duration SECONDS per HTTP run (default 10).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { EnginePoller } from '../src/reader/poller.js';
import { StateWriter } from '../src/state/index.js';
import { fmt, machineLine, percentile, printTable } from './lib/table.js';

const DURATION = Number(process.argv[process.argv.indexOf('--duration') + 1]) || 10;
const dir = mkdtempSync(join(tmpdir(), 'tradewatch-bench-dash-'));
const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));

function symbolValue(i: number, tick: number) {
  return {
    price: 100 + i + tick / 100,
    dt: new Date().toISOString(),
    position_size: i % 2 ? 10 : 0,
    position_price: 100 + i,
    sl_price: 95 + i,
    tp_price: 110 + i,
    rsi14: 50 + (tick % 20),
  };
}

function writeSymbols(writer: StateWriter, count: number, tick: number, only?: number) {
  const n = only ?? count;
  writer.updateMany(
    Array.from({ length: n }, (_, j) => {
      const i = only ? (j * 7919 + tick) % count : j;
      return [`chart_S${i}`, symbolValue(i, tick)] as const;
    }),
  );
  writer.summary({ cash: 100_000, value: 100_000 + tick, currency: 'USD' });
  writer.heartbeat();
}

function timeMs(fn: () => void): number {
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
}

function tickCosts() {
  const rows: Array<Array<string | number>> = [];
  for (const count of [10, 100, 1000, 10_000]) {
    const path = join(dir, `ticks-${count}.db`);
    const writer = StateWriter.open(path);
    writeSymbols(writer, count, 0);
    const poller = new EnginePoller({
      name: 'bench',
      path,
      pollMs: 1000,
      staleAfterMs: 30_000,
      timeZone: 'UTC',
    });
    const first = timeMs(() => poller.tick());
    const unchanged = Array.from({ length: 2000 }, () => timeMs(() => poller.tick())).sort(
      (a, b) => a - b,
    );
    const allChanged: number[] = [];
    const fewChanged: number[] = [];
    for (let t = 1; t <= 15; t++) {
      writeSymbols(writer, count, t);
      allChanged.push(timeMs(() => poller.tick()));
      writeSymbols(writer, count, t, Math.min(5, count));
      fewChanged.push(timeMs(() => poller.tick()));
    }
    allChanged.sort((a, b) => a - b);
    fewChanged.sort((a, b) => a - b);
    rows.push([
      count,
      fmt(first, 2),
      fmt(percentile(unchanged, 50) * 1000, 1),
      fmt(percentile(unchanged, 99) * 1000, 1),
      fmt(percentile(allChanged, 50), 2),
      fmt(percentile(fewChanged, 50), 2),
    ]);
    poller.stop();
    writer.close();
  }
  printTable(
    [
      'symbols',
      'first tick ms',
      'unchanged tick p50 µs',
      'unchanged p99 µs',
      'all changed: tick ms (median)',
      '5 changed: tick ms (median)',
    ],
    rows,
  );
}

async function startProcess(
  args: string[],
  pattern: RegExp,
): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  for await (const line of lines) {
    const match = pattern.exec(line);
    if (match?.[1]) {
      child.stdout?.resume();
      return { child, port: Number(match[1]) };
    }
  }
  throw new Error(`${args.join(' ')} exited before listening`);
}

function rssMb(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) / 1024 : Number.NaN;
}

async function load(
  port: number,
  sampleRssOf?: number,
): Promise<{ reqPerSec: number; p50: number; p99: number; errors: number; maxRss: number }> {
  let maxRss = 0;
  const sampler = sampleRssOf
    ? setInterval(() => (maxRss = Math.max(maxRss, rssMb(sampleRssOf))), 250)
    : null;
  const result = await autocannon({
    url: `http://127.0.0.1:${port}/api/live/status`,
    connections: 50,
    duration: DURATION,
  });
  if (sampler) clearInterval(sampler);
  return {
    reqPerSec: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.non2xx,
    maxRss,
  };
}

async function httpLoad() {
  const path = join(dir, 'http-1000.db');
  const writer = StateWriter.open(path);
  let tick = 0;
  writeSymbols(writer, 1000, tick);
  const engine = setInterval(() => writeSymbols(writer, 1000, ++tick), 1000);

  const dashboard = await startProcess(
    [here('../src/cli.js'), '--db', `bench=${path}`, '--port', '0', '--data-dir', dir],
    /listening on http:\/\/[^:]+:(\d+)/,
  );
  await sleep(3000);
  const idleRss = rssMb(dashboard.child.pid ?? 0);
  const ours = await load(dashboard.port, dashboard.child.pid);
  const fresh = await startProcess(
    [here('./bench/per-request-server.js'), path, 'fresh'],
    /^(\d+)$/,
  );
  const perRequest = await load(fresh.port);
  const persistent = await startProcess(
    [here('./bench/per-request-server.js'), path, 'persistent'],
    /^(\d+)$/,
  );
  const perRequestPersistent = await load(persistent.port);
  clearInterval(engine);
  for (const p of [dashboard, fresh, persistent]) {
    p.child.kill('SIGTERM');
    await once(p.child, 'exit');
  }
  writer.close();

  const base = perRequest.reqPerSec;
  printTable(
    [
      'GET /api/live/status, 1,000 symbols, 50 connections',
      'req/s',
      'p50 ms',
      'p99 ms',
      'errors',
      'vs per-request (original)',
    ],
    [
      [
        'tradewatch (shared snapshot, cached body)',
        fmt(ours.reqPerSec, 0),
        ours.p50,
        ours.p99,
        ours.errors,
        `${fmt(ours.reqPerSec / base, 1)}×`,
      ],
      [
        'per-request: new connection + query + parse (original)',
        fmt(perRequest.reqPerSec, 0),
        perRequest.p50,
        perRequest.p99,
        perRequest.errors,
        '1.0×',
      ],
      [
        'per-request: one connection, query + parse per request',
        fmt(perRequestPersistent.reqPerSec, 0),
        perRequestPersistent.p50,
        perRequestPersistent.p99,
        perRequestPersistent.errors,
        `${fmt(perRequestPersistent.reqPerSec / base, 1)}×`,
      ],
    ],
  );
  console.log('');
  printTable(
    ['dashboard RSS', 'MB'],
    [
      ['idle (1,000 symbols, engine writing 1/s)', fmt(idleRss, 0)],
      ['max under the load above', fmt(ours.maxRss, 0)],
    ],
  );
}

console.log(`machine: ${await machineLine()}\n`);
tickCosts();
console.log('');
await httpLoad();
rmSync(dir, { recursive: true, force: true });
