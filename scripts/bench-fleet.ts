/**
 * `npm run bench:fleet`: one dashboard process watching 50 engines of 100 symbols each.
 *
 * Engines are written by 5 real writer processes of 10 engine files each (bench/fleet-writer).
 * The dashboard (`dist/src/cli.js`) runs in its own process with one /fleet page open on its
 * stream. Two phases, each after a warm-up: idle (the files exist, nobody writes) and busy (every
 * engine writes every symbol every second). Measured from outside the process: RSS (max),
 * CPU (% of one core, from /proc utime+stime), poll ticks per second and mean tick cost (from
 * its own /metrics histogram), and bytes pushed to the /fleet page. Targets: RSS ≤ 300 MB,
 * CPU ≤ 25 % of one core with every engine writing.
 *
 * Flags: --duration SECONDS per phase (default 20), --engines N (50), --symbols N (100).
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { firstLine } from './lib/child-output.js';
import { fmt, machineLine, printTable } from './lib/table.js';

const flag = (name: string, fallback: number) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) || fallback : fallback;
};
const DURATION_S = flag('--duration', 20);
const ENGINES = flag('--engines', 50);
const SYMBOLS = flag('--symbols', 100);
const WRITER_PROCESSES = 5;
const WARMUP_MS = 5000;
const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'tradewatch-bench-fleet-'));
const names = Array.from({ length: ENGINES }, (_, i) => `e${String(i).padStart(2, '0')}`);
const dbOf = (name: string) => join(dir, `${name}.db`);
const CLK_TCK = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' })) || 100;
const children: ChildProcess[] = [];

/** Writer processes, each with its share of the engine files, writing every `intervalMs`. */
async function startWriters(intervalMs: number): Promise<ChildProcess[]> {
  const per = Math.ceil(ENGINES / WRITER_PROCESSES);
  const started = Array.from({ length: WRITER_PROCESSES }, (_, w) => {
    const mine = names.slice(w * per, (w + 1) * per).map(dbOf);
    const child = spawn(
      process.execPath,
      [here('./bench/fleet-writer.js'), String(intervalMs), String(SYMBOLS), ...mine],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    children.push(child);
    return child;
  });
  await Promise.all(started.map((c) => firstLine(c, /^ready$/)));
  return started;
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  await once(child, 'exit');
}

function cpuTicks(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return Number(fields[11]) + Number(fields[12]); // utime + stime
}

function rssMb(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) / 1024 : Number.NaN;
}

/** Sum and count of the dashboard's poll-duration histogram, over every engine. */
async function pollTotals(port: number): Promise<{ sum: number; count: number }> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  let sum = 0;
  let count = 0;
  for (const m of text.matchAll(/^tradewatch_poll_duration_seconds_(sum|count)\{[^}]*\} (\S+)$/gm))
    if (m[1] === 'sum') sum += Number(m[2]);
    else count += Number(m[2]);
  return { sum, count };
}

/** One /fleet page's stream, counting the bytes pushed to it. */
function openFleetStream(port: number): { bytes: () => number; close: () => void } {
  let bytes = 0;
  const req = http.get(
    `http://127.0.0.1:${port}/live/stream/fleet?engine=${names[0]}&symbol=state`,
    (res) => res.on('data', (chunk: Buffer) => (bytes += chunk.length)),
  );
  req.on('error', () => {});
  return { bytes: () => bytes, close: () => req.destroy() };
}

async function measure(pid: number, port: number, stream: { bytes: () => number }) {
  await sleep(WARMUP_MS);
  const cpu0 = cpuTicks(pid);
  const poll0 = await pollTotals(port);
  const bytes0 = stream.bytes();
  const t0 = performance.now();
  let maxRss = rssMb(pid);
  const end = t0 + DURATION_S * 1000;
  while (performance.now() < end) {
    await sleep(250);
    maxRss = Math.max(maxRss, rssMb(pid));
  }
  const seconds = (performance.now() - t0) / 1000;
  const poll1 = await pollTotals(port);
  const ticks = poll1.count - poll0.count;
  return {
    rss: maxRss,
    cpuPct: ((cpuTicks(pid) - cpu0) / CLK_TCK / seconds) * 100,
    ticksPerSec: ticks / seconds,
    tickMs: ticks ? ((poll1.sum - poll0.sum) / ticks) * 1000 : Number.NaN,
    pushKbPerSec: (stream.bytes() - bytes0) / 1024 / seconds,
  };
}

console.log(`# bench:fleet — ${ENGINES} engines × ${SYMBOLS} symbols, one dashboard process`);
console.log(await machineLine());
// The files exist before the dashboard starts: one write each, then the writers stop.
for (const writer of await startWriters(3_600_000)) await stop(writer);
const dashboard = spawn(
  process.execPath,
  [
    here('../src/cli.js'),
    ...names.flatMap((n) => ['--db', `${n}=${dbOf(n)}`]),
    ...['--port', '0', '--data-dir', dir, '--stale-after', '30'],
  ],
  { stdio: ['ignore', 'pipe', 'inherit'] },
);
children.push(dashboard);
const port = Number(
  new URL((await firstLine(dashboard, /listening on (https?:\/\/[^\s"]+)/))[1] ?? '').port,
);
const pid = dashboard.pid ?? 0;
const stream = openFleetStream(port);
try {
  const idle = await measure(pid, port, stream);
  await startWriters(1000);
  const busy = await measure(pid, port, stream);
  const row = (phase: string, m: typeof idle) => [
    phase,
    fmt(m.rss, 0),
    fmt(m.cpuPct, 1),
    fmt(m.ticksPerSec, 0),
    fmt(m.tickMs, 3),
    fmt(m.pushKbPerSec, 1),
  ];
  printTable(
    [
      'phase',
      'RSS MB (max)',
      'CPU % of one core',
      'poll ticks/s',
      'mean tick ms',
      '/fleet push KiB/s',
    ],
    [row('idle', idle), row(`every engine writing every 1 s`, busy)],
  );
  console.log(
    `targets: RSS ≤ 300 MB ${busy.rss <= 300 ? 'met' : 'MISSED'}; CPU ≤ 25 % of one core ${busy.cpuPct <= 25 ? 'met' : 'MISSED'}`,
  );
} finally {
  stream.close();
  for (const child of children.reverse()) await stop(child);
  rmSync(dir, { recursive: true, force: true });
}
