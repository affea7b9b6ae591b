/**
 * `npm run bench:writer`: what publishing state costs an engine.
 *
 * Compares, in one run and on the same table: the original design's `INSERT OR REPLACE`
 * (json.dumps + isoformat + execute per update, here as better-sqlite3 prepared statement),
 * StateWriter.update, updateMany(100), and write-behind update — each alone and with a separate
 * read-only process polling every 100 ms, as the dashboard does. Then it holds a read open in
 * another process to show what happens to the WAL.
 *
 * Flags: --ops N (per scenario, default 200000).
 */
import { type ChildProcess, fork } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { LIVE_STATUS_DDL } from '../src/contract/index.js';
import { StateWriter } from '../src/state/index.js';
import { fmt, latencySummaryUs, machineLine, printTable } from './lib/table.js';

const OPS = Number(process.argv[process.argv.indexOf('--ops') + 1]) || 200_000;
const CHUNK = 500; // ops between yields to the event loop, as an engine's loop would yield
const KEYS = Array.from({ length: 20 }, (_, i) => `chart_SYM${i}`);
const dir = mkdtempSync(join(tmpdir(), 'tradewatch-bench-'));
const childScript = new URL('./bench/reader-child.js', import.meta.url);

/** ~150-byte values, like `chart_<SYMBOL>` rows, built before timing: the engine builds them anyway. */
const VALUES = Array.from({ length: 1000 }, (_, i) => ({
  price: 1.08 + i / 1e5,
  dt: '2025-08-01T09:30:15',
  position_size: 1000,
  position_price: 1.0812,
  sl_price: 1.075,
  tp_price: 1.095,
  rsi14: 48.2 + (i % 10),
}));
const valueFor = (i: number) => VALUES[i % VALUES.length] as (typeof VALUES)[number];

interface Result {
  name: string;
  reader: boolean;
  opsPerSec: number;
  keysPerOp: number;
  samples: Float64Array;
  busy: number;
  readerReads: number;
  readerErrors: number;
  walBytes: number;
}

async function startReader(path: string, mode: 'poll' | 'hold'): Promise<ChildProcess> {
  const child = fork(childScript, [path, mode, '100'], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  await new Promise((resolve) => child.once('message', resolve));
  return child;
}

async function stopReader(child: ChildProcess): Promise<{ reads: number; errors: number }> {
  const done = new Promise<{ reads: number; errors: number }>((resolve) =>
    child.on('message', (m) => resolve(m as { reads: number; errors: number })),
  );
  child.send('stop');
  return done;
}

function walSize(path: string): number {
  try {
    return statSync(`${path}-wal`).size;
  } catch {
    return 0;
  }
}

type Op = (i: number) => void;

async function measure(
  name: string,
  withReader: boolean,
  keysPerOp: number,
  setup: (path: string) => { op: Op; busy: () => number; close: () => void },
): Promise<Result> {
  // Write-behind calls are ~50× cheaper: run more of them so that flushes and reader polls
  // happen; a 100-key batch costs ~50 single updates: run fewer.
  const ops = name.startsWith('write-behind')
    ? OPS * 20
    : keysPerOp > 1
      ? Math.ceil(OPS / 20)
      : OPS;
  const path = join(dir, `${name.replace(/\W+/g, '-')}-${withReader}.db`);
  const subject = setup(path);
  for (let i = 0; i < 5000; i++) subject.op(i); // warm-up; also creates every key for the reader
  const reader = withReader ? await startReader(path, 'poll') : null;
  const samples = new Float64Array(ops);
  let walBytes = 0;
  const started = process.hrtime.bigint();
  for (let i = 0; i < ops; i++) {
    const t0 = process.hrtime.bigint();
    subject.op(i);
    samples[i] = Number(process.hrtime.bigint() - t0);
    if (i % CHUNK === CHUNK - 1) {
      walBytes = Math.max(walBytes, walSize(path));
      await yieldToLoop();
    }
  }
  const elapsedS = Number(process.hrtime.bigint() - started) / 1e9;
  const readerStats = reader ? await stopReader(reader) : { reads: 0, errors: 0 };
  const busy = subject.busy();
  subject.close();
  return {
    name,
    reader: withReader,
    opsPerSec: ops / elapsedS,
    keysPerOp,
    samples,
    busy,
    readerReads: readerStats.reads,
    readerErrors: readerStats.errors,
    walBytes,
  };
}

/**
 * The original design's update: json.dumps + isoformat + INSERT OR REPLACE, per call. With
 * `sameFile`, on a file created by StateWriter.open (same page size and pragmas), so that the
 * ratio isolates our SQL and overhead; otherwise on a default SQLite file as Python makes it.
 */
const rawInsertOrReplace = (sameFile: boolean) => (path: string) => {
  if (sameFile) StateWriter.open(path).close();
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec(LIVE_STATUS_DDL);
  const stmt = db.prepare(
    'INSERT OR REPLACE INTO live_status (key, value, updated_at) VALUES (?, ?, ?)',
  );
  let busy = 0;
  return {
    op: (i: number) => {
      try {
        stmt.run(KEYS[i % KEYS.length], JSON.stringify(valueFor(i)), new Date().toISOString());
      } catch {
        busy++;
      }
    },
    busy: () => busy,
    close: () => db.close(),
  };
};

function writerSubject(options: { flushMs?: number }, op: (w: StateWriter, i: number) => void) {
  return (path: string) => {
    let failures = 0;
    const writer = StateWriter.open(path, { ...options, onError: () => failures++ });
    return { op: (i: number) => op(writer, i), busy: () => failures, close: () => writer.close() };
  };
}

const batch = (i: number) =>
  KEYS.flatMap((key, k) =>
    Array.from({ length: 5 }, (_, j) => [`${key}_${j}`, valueFor(i + k)] as const),
  );

const scenarios: Array<
  [string, number, (path: string) => ReturnType<ReturnType<typeof writerSubject>>]
> = [
  ['raw INSERT OR REPLACE, same file (baseline)', 1, rawInsertOrReplace(true)],
  ['raw INSERT OR REPLACE, default 4 KiB-page file', 1, rawInsertOrReplace(false)],
  [
    'StateWriter.update',
    1,
    writerSubject({}, (w, i) => w.update(KEYS[i % KEYS.length] ?? '', valueFor(i))),
  ],
  ['StateWriter.updateMany(100)', 100, writerSubject({}, (w, i) => w.updateMany(batch(i)))],
  [
    'write-behind update (flushMs 50)',
    1,
    writerSubject({ flushMs: 50 }, (w, i) => w.update(KEYS[i % KEYS.length] ?? '', valueFor(i))),
  ],
];

async function longReadWal(): Promise<Array<[string, number]>> {
  const path = join(dir, 'long-read.db');
  const writer = StateWriter.open(path, { onError: () => {} });
  for (let i = 0; i < 5000; i++) writer.update(KEYS[i % KEYS.length] ?? '', valueFor(i));
  const holder = await startReader(path, 'hold');
  for (let i = 0; i < 50_000; i++) writer.update(KEYS[i % KEYS.length] ?? '', valueFor(i));
  const during = walSize(path);
  await stopReader(holder);
  for (let i = 0; i < 2_000; i++) writer.update(KEYS[i % KEYS.length] ?? '', valueFor(i));
  const after = walSize(path);
  writer.close();
  return [
    ['WAL while a read is held, after 50,000 updates', during],
    ['WAL after the read ends and 2,000 more updates', after],
  ];
}

async function main() {
  console.log(`machine: ${await machineLine()}`);
  console.log(
    `ops per scenario: ${OPS} (write-behind ${OPS * 20}); value ≈ ${JSON.stringify(valueFor(0)).length} bytes; ${KEYS.length} keys\n`,
  );
  const results: Result[] = [];
  for (const withReader of [false, true]) {
    for (const [name, keysPerOp, setup] of scenarios)
      results.push(await measure(name, withReader, keysPerOp, setup));
  }
  const baselineMean = (reader: boolean) => {
    const base = results.find((r) => r.reader === reader && r.name.includes('(baseline)'));
    return base ? base.samples.reduce((a, b) => a + b, 0) / base.samples.length : Number.NaN;
  };
  const p99NoReader = new Map(
    results.filter((r) => !r.reader).map((r) => [r.name, latencySummaryUs(r.samples).p99]),
  );
  printTable(
    [
      'operation',
      'reader 10 Hz',
      'ops/s',
      'p50 µs',
      'p99 µs',
      'max µs',
      'cost/key vs baseline',
      'p99 vs no reader',
      'errors',
      'reader reads/errors',
      'max WAL KiB',
    ],
    results.map((r) => {
      const lat = latencySummaryUs(r.samples);
      const mean = r.samples.reduce((a, b) => a + b, 0) / r.samples.length;
      return [
        r.name,
        r.reader ? 'yes' : 'no',
        fmt(r.opsPerSec, 0),
        fmt(lat.p50, 2),
        fmt(lat.p99, 2),
        fmt(lat.max, 0),
        `${fmt(mean / r.keysPerOp / baselineMean(r.reader), 2)}×`,
        r.reader ? `${fmt(lat.p99 / (p99NoReader.get(r.name) ?? Number.NaN), 2)}×` : '',
        r.busy,
        r.reader ? `${r.readerReads}/${r.readerErrors}` : '',
        fmt(r.walBytes / 1024, 0),
      ];
    }),
  );
  console.log('');
  printTable(
    ['long-held read (journal_size_limit 4 MiB)', 'WAL KiB'],
    (await longReadWal()).map(([n, b]) => [n, fmt(b / 1024, 0)]),
  );
  rmSync(dir, { recursive: true, force: true });
}

await main();
