/**
 * `npm run bench:alerts`: from an engine going silent to the CRITICAL alert arriving at a webhook.
 * The dashboard runs as a real process (dist/src/cli.js) with a webhook pointing at a receiver
 * in this process; the engine (a StateWriter here) writes its heartbeat every 100 ms, then stops.
 * The alert can only fire once the last write is --stale-after old, so the figure reported is
 * the delay beyond that: target ≤ one poll interval + 1 s.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { StateWriter } from '../src/state/index.js';
import { fmt, machineLine, percentile, printTable } from './lib/table.js';

const RUNS = 5;
const STALE_AFTER_MS = 3000;
const dir = mkdtempSync(join(tmpdir(), 'tradewatch-bench-alerts-'));
const cli = fileURLToPath(new URL('../src/cli.js', import.meta.url));

/** A webhook receiver: resolves waiters with (event, arrival time). */
const arrivals: Array<(hook: { event: string; rule: string; atMs: number }) => void> = [];
const receiver = createServer((req, res) => {
  let body = '';
  req.on('data', (chunk) => {
    body += chunk;
  });
  req.on('end', () => {
    const atMs = Date.now();
    const message = JSON.parse(body) as { event: string; alert: { rule: string } };
    res.writeHead(204).end();
    arrivals.shift()?.({ event: message.event, rule: message.alert.rule, atMs });
  });
});
receiver.listen(0, '127.0.0.1');
await once(receiver, 'listening');
const hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
const nextHook = () =>
  new Promise<{ event: string; rule: string; atMs: number }>((r) => arrivals.push(r));

async function startDashboard(db: string, pollMs: number): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    [
      cli,
      ...['--db', `bench=${db}`, '--port', '0', '--poll-ms', String(pollMs)],
      ...['--stale-after', `${STALE_AFTER_MS}ms`, '--data-dir', join(dir, `data-${pollMs}`)],
      ...['--notify-webhook', hookUrl, '--notify-level', 'webhook=CRITICAL'],
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  for await (const line of createInterface({ input: child.stdout as NodeJS.ReadableStream })) {
    if (/listening on /.test(line)) {
      child.stdout?.resume();
      return child;
    }
  }
  throw new Error('dashboard did not start');
}

async function measure(pollMs: number) {
  const db = join(dir, `engine-${pollMs}.db`);
  const writer = StateWriter.open(db);
  let lastWriteMs = 0;
  const beat = () => {
    writer.heartbeat({ status: 'running' });
    lastWriteMs = Date.now();
  };
  beat();
  const dashboard = await startDashboard(db, pollMs);
  const fire: number[] = [];
  const resolve: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const timer = setInterval(beat, 100);
    await new Promise((r) => setTimeout(r, 1000 + Math.random() * pollMs)); // a random phase
    clearInterval(timer);
    const fired = await nextHook();
    if (fired.event !== 'firing' || fired.rule !== 'stale')
      throw new Error(`unexpected ${fired.event}`);
    fire.push(fired.atMs - (lastWriteMs + STALE_AFTER_MS));
    const resumedMs = Date.now();
    beat();
    const resolved = await nextHook();
    resolve.push(resolved.atMs - resumedMs);
  }
  dashboard.kill('SIGTERM');
  await once(dashboard, 'exit');
  writer.close();
  const row = (name: string, values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    return [
      name,
      pollMs,
      fmt(percentile(sorted, 50), 0),
      fmt(sorted.at(-1) ?? 0, 0),
      fmt(pollMs + 1000, 0),
    ];
  };
  return [
    row('silent → CRITICAL at webhook, beyond --stale-after', fire),
    row('writes again → resolve at webhook', resolve),
  ];
}

console.log(await machineLine());
const rows = [...(await measure(1000)), ...(await measure(250))];
printTable(['measure', 'poll ms', 'p50 ms', 'max ms', 'target ≤ ms'], rows);
console.log(`\n${RUNS} runs per poll interval, --stale-after ${STALE_AFTER_MS} ms.`);
receiver.close();
rmSync(dir, { recursive: true, force: true });
