/**
 * `npm run bench:replay`: what replay costs.
 *
 * 1. Recording's added tick cost: two pollers on one 1,000-symbol engine whose every key changes
 *    every tick, one recording into a sidecar and one not (the same-run baseline); each tick a
 *    second apart on their clocks, so every tick writes a record (the worst case).
 * 2. Storage: a 100-symbol engine changing every key every second, simulated for --seconds with
 *    synthetic timestamps (one tick = one second of dashboard clock), extrapolated to 24 h.
 * 3. Rebuild of any moment of a 1,000-symbol engine (every key changing every second), p50/p99,
 *    against keyframe spacing (the ratio of deltas to keyframe size that triggers a keyframe).
 * 4. A scrub step in Chromium: request to painted panels, p50, on /live of a 100-symbol engine
 *    recorded by a real dashboard.
 *
 * Flags: --seconds N simulated for storage (default 600), --no-browser.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type Database from 'better-sqlite3';
import { pino } from 'pino';
import { loadConfig } from '../src/config/load.js';
import { openSidecar } from '../src/monitor/sidecar.js';
import { EnginePoller } from '../src/reader/poller.js';
import { startDashboard } from '../src/service/dashboard.js';
import { createReplay } from '../src/service/replay.js';
import { StateWriter } from '../src/state/index.js';
import { launchChromium } from './lib/chromium.js';
import { fmt, machineLine, percentile, printTable } from './lib/table.js';

const arg = (name: string) => process.argv[process.argv.indexOf(name) + 1];
const SECONDS = Number(arg('--seconds')) || 600;
const dir = mkdtempSync(join(tmpdir(), 'tradewatch-bench-replay-'));
const DAY_S = 86_400;

/** A random walk per symbol, written the way an engine would: 5-decimal prices, a bar time. */
function engine(path: string, symbols: number) {
  const writer = StateWriter.open(path);
  const prices = Array.from({ length: symbols }, (_, i) => 100 + i);
  let tick = 0;
  return {
    writer,
    step(clockMs: number) {
      tick++;
      writer.updateMany(
        prices.map((p, i) => {
          const price = Math.round(p * (1 + (Math.random() - 0.5) * 2e-4) * 1e5) / 1e5;
          prices[i] = price;
          return [
            `chart_S${i}`,
            {
              price,
              dt: new Date(clockMs).toISOString(),
              position_size: i % 3 === 0 ? 10 : 0,
              position_price: 100 + i,
              sl_price: 95 + i,
              tp_price: 110 + i,
              rsi14: Math.round((50 + 20 * Math.sin((tick + i) / 7)) * 100) / 100,
              unrealized_pnl: Math.round((price - 100 - i) * 1000) / 100,
            },
          ] as const;
        }),
      );
      writer.summary({ cash: 100_000, value: 100_000 + tick, currency: 'USD' });
      writer.heartbeat();
    },
  };
}

function poller(name: string, path: string, clock: { now: number }) {
  return new EnginePoller({
    name,
    path,
    pollMs: 1000,
    staleAfterMs: 30_000,
    timeZone: 'UTC',
    now: () => clock.now,
  });
}

const fileBytes = (db: Database.Database) =>
  (db.pragma('page_count', { simple: true }) as number) *
  (db.pragma('page_size', { simple: true }) as number);

/** Records `seconds` ticks of an engine into a fresh sidecar; returns what it stored and the rebuild times. */
async function recordRun(
  symbols: number,
  seconds: number,
  keyframeRatio: number,
  rebuilds: number,
) {
  const path = join(dir, `engine-${symbols}-${keyframeRatio}-${Date.now()}.db`);
  const e = engine(path, symbols);
  const clock = { now: Date.UTC(2026, 10, 30, 8) };
  const p = poller('main', path, clock);
  const sidecar = openSidecar(
    dir,
    `sidecar-${symbols}-${keyframeRatio}-${Date.now()}.db`,
    () => {},
  );
  const replay = createReplay(sidecar, [p], DAY_S * 1000, { keyframeRatio });
  const t0 = clock.now;
  for (let s = 0; s < seconds; s++) {
    clock.now = t0 + s * 1000;
    e.step(clock.now);
    p.tick();
    await replay.recorder.settled(); // as between real ticks
  }
  await replay.recorder.flushAll();
  sidecar.pragma('wal_checkpoint(TRUNCATE)');
  const bytes = fileBytes(sidecar);
  const records = sidecar.prepare('SELECT count(*) FROM replay_records').pluck().get() as number;
  const times: number[] = [];
  for (let i = 0; i < rebuilds; i++) {
    const at = t0 + Math.floor(Math.random() * seconds * 1000);
    const started = performance.now();
    const moment = replay.view.at('main', at);
    times.push(performance.now() - started);
    if (moment?.snapshot.symbols.length !== symbols) throw new Error('rebuild lost symbols');
  }
  times.sort((a, b) => a - b);
  await replay.stop();
  p.stop();
  e.writer.close();
  sidecar.close();
  return { bytes, records, changes: seconds * (symbols + 2), times };
}

async function tickCost(symbols: number, ticks: number) {
  const path = join(dir, `engine-tick-${symbols}.db`);
  const e = engine(path, symbols);
  const plainClock = { now: Date.now() };
  const recordedClock = { now: Date.now() };
  const plain = poller('plain', path, plainClock);
  const recorded = poller('recorded', path, recordedClock);
  const sidecar = openSidecar(dir, 'sidecar-tick.db', () => {});
  const replay = createReplay(sidecar, [recorded], DAY_S * 1000);
  plain.tick();
  recorded.tick();
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < ticks; i++) {
    e.step(Date.now());
    plainClock.now += 1000;
    recordedClock.now += 1000;
    // Alternate which goes first, so neither always meets a warm page cache.
    const order = i % 2 ? [plain, recorded] : [recorded, plain];
    for (const p of order) {
      const started = performance.now();
      p.tick();
      (p === plain ? a : b).push(performance.now() - started);
    }
    await replay.recorder.settled(); // compression runs off the tick; let it finish in between
  }
  a.sort((x, y) => x - y);
  b.sort((x, y) => x - y);
  const workMs = replay.recorder.workMs / ticks;
  await replay.stop();
  plain.stop();
  recorded.stop();
  e.writer.close();
  sidecar.close();
  return { plain: a, recorded: b, workMs };
}

/** Per step: request to painted panels, and of it the response's time (server and transfer). */
async function scrubStep(): Promise<{ total: number[]; response: number[] }> {
  const path = join(dir, 'engine-scrub.db');
  const data = join(dir, 'data-scrub');
  const e = engine(path, 100);
  const { config } = loadConfig(
    ['--db', `main=${path}`, '--port', '0', '--poll-ms', '250', '--data-dir', data, '--tz', 'UTC'],
    {},
  );
  const dashboard = await startDashboard(config, pino({ level: 'silent' }));
  const first = Date.now();
  for (let s = 0; s < 12; s++) {
    e.step(Date.now());
    await sleep(1000);
  }
  const chromium = await launchChromium();
  try {
    const page = await chromium.browser.newPage();
    await page.setViewportSize({ width: 1366, height: 900 });
    await page.goto(`${dashboard.url}/live?at=${new Date(first + 1500).toISOString()}`);
    await page.waitForSelector('#timebar[data-ready="true"]');
    return await page.evaluate(
      async ({ from, steps }) => {
        const bar = document.getElementById('timebar') as HTMLElement;
        const range = bar.querySelector('.timebar-range') as HTMLInputElement;
        const out: number[] = [];
        const response: number[] = [];
        for (let i = 0; i < steps; i++) {
          const target = from + 1000 + ((i * 700) % 9000);
          const started = performance.now();
          range.value = String(target);
          range.dispatchEvent(new Event('change', { bubbles: true }));
          await new Promise<void>((resolve) => {
            const check = () =>
              bar.dataset.painted === String(Number(range.value))
                ? requestAnimationFrame(() => resolve())
                : setTimeout(check, 1);
            check();
          });
          out.push(performance.now() - started);
          const entry = performance.getEntriesByType('resource').pop();
          response.push(entry ? entry.duration : Number.NaN);
          performance.clearResourceTimings();
        }
        return { total: out, response };
      },
      { from: first, steps: 40 },
    );
  } finally {
    await chromium.close();
    await dashboard.close();
    e.writer.close();
  }
}

console.log(`# bench:replay — ${await machineLine()}\n`);

console.log('## Recording: added cost of a changed 1,000-symbol tick (every key changed)\n');
const ticks = await tickCost(1000, 60);
const p50 = (xs: number[]) => percentile(xs, 50);
printTable(
  ['poller', 'tick p50 ms', 'tick p99 ms'],
  [
    ['without replay (baseline)', fmt(p50(ticks.plain), 2), fmt(percentile(ticks.plain, 99), 2)],
    ['recording replay', fmt(p50(ticks.recorded), 2), fmt(percentile(ticks.recorded, 99), 2)],
    ['added', `${fmt(((p50(ticks.recorded) - p50(ticks.plain)) / p50(ticks.plain)) * 100)} %`, ''],
  ],
);
console.log(
  `\nMaking each record after the tick (text, hand-off to the compression thread): ${fmt(ticks.workMs, 2)} ms of main-thread time per changed tick (${fmt((ticks.workMs / p50(ticks.plain)) * 100)} % of a baseline tick).`,
);

console.log(
  `\n## Storage: 100 symbols, every key every second, ${SECONDS} s simulated, extrapolated to 24 h\n`,
);
const rows: Array<Array<string | number>> = [];
for (const ratio of [1, 2, 4, 8]) {
  const run = await recordRun(100, SECONDS, ratio, 0);
  rows.push([
    ratio,
    run.records,
    fmt(run.bytes / 2 ** 20, 2),
    fmt(run.bytes / run.changes, 1),
    fmt(((run.bytes / SECONDS) * DAY_S) / 2 ** 20, 0),
  ]);
}
printTable(['keyframe ratio', 'records', 'MiB stored', 'bytes/change', 'MiB per 24 h'], rows);

console.log(
  '\n## Rebuild any moment of a 1,000-symbol engine (every key changing every second, 120 s recorded)\n',
);
const rebuildRows: Array<Array<string | number>> = [];
for (const ratio of [1, 2, 4, 8]) {
  const run = await recordRun(1000, 120, ratio, 100);
  rebuildRows.push([
    ratio,
    fmt(percentile(run.times, 50), 1),
    fmt(percentile(run.times, 99), 1),
    fmt(run.bytes / run.changes, 1),
  ]);
}
printTable(['keyframe ratio', 'rebuild p50 ms', 'rebuild p99 ms', 'bytes/change'], rebuildRows);

if (!process.argv.includes('--no-browser')) {
  console.log('\n## Scrub step in Chromium: request to painted panels (/live, 100 symbols)\n');
  const { total, response } = await scrubStep();
  const steps = total.sort((a, b) => a - b);
  const responses = response.sort((a, b) => a - b);
  printTable(
    ['steps', 'p50 ms', 'p99 ms', 'response p50 ms'],
    [
      [
        steps.length,
        fmt(percentile(steps, 50), 1),
        fmt(percentile(steps, 99), 1),
        fmt(percentile(responses, 50), 1),
      ],
    ],
  );
}

rmSync(dir, { recursive: true, force: true });
