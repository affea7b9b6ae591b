/**
 * `npm run bench:e2e`: from a writer `update()` to the new value in the DOM of headless
 * Chromium, over 50 updates, at --poll-ms 1000 and 250; then (with --soak-minutes N) one tab
 * left open on a moving engine, its JS heap measured over N minutes.
 *
 * The dashboard runs as a real process (dist/src/cli.js); the writer runs here.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { StateWriter } from '../src/state/index.js';
import { launchChromium } from './lib/chromium.js';
import { fmt, machineLine, percentile, printTable } from './lib/table.js';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const UPDATES = arg('--updates', 50);
const SOAK_MINUTES = arg('--soak-minutes', 0);
const dir = mkdtempSync(join(tmpdir(), 'tradewatch-e2e-'));
const cli = fileURLToPath(new URL('../src/cli.js', import.meta.url));

async function startDashboard(
  db: string,
  pollMs: number,
): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(
    process.execPath,
    [cli, '--db', `bench=${db}`, '--port', '0', '--poll-ms', String(pollMs), '--data-dir', dir],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  for await (const line of createInterface({ input: child.stdout as NodeJS.ReadableStream })) {
    const match = /listening on (https?:\/\/[^\s"]+)/.exec(line);
    if (match?.[1]) {
      child.stdout?.resume();
      return { child, url: match[1] };
    }
  }
  throw new Error('dashboard exited before listening');
}

function seed(writer: StateWriter, value: number) {
  writer.summary({ cash: 100_000, value, currency: 'USD' });
  writer.symbol('EURUSD', {
    price: 1.08 + (value % 100) / 1e5,
    position_size: 100_000,
    position_price: 1.08,
    sl_price: 1.07,
    tp_price: 1.1,
    rsi14: 40 + (value % 30),
  });
  writer.symbol('US500', { price: 5600 + (value % 50), position_size: 0, rsi14: 50 });
  writer.heartbeat();
}

async function latency(
  pollMs: number,
  browser: Awaited<ReturnType<typeof launchChromium>>['browser'],
) {
  const db = join(dir, `e2e-${pollMs}.db`);
  const writer = StateWriter.open(db);
  seed(writer, 100_000);
  const dashboard = await startDashboard(db, pollMs);
  const page = await browser.newPage();
  await page.goto(`${dashboard.url}/live`);
  await page.waitForSelector('#connection[data-state="live"]');
  const samples: number[] = [];
  for (let i = 1; i <= UPDATES; i++) {
    const value = 100_000 + i;
    const text = `${new Intl.NumberFormat('en-US', { minimumFractionDigits: 2 }).format(value)} USD`;
    // Random phase against the poll timer, as real updates have.
    await page.waitForTimeout(Math.random() * pollMs);
    const t0 = await page.evaluate(() => performance.timeOrigin + performance.now());
    seed(writer, value);
    await page.waitForFunction(
      (t) => document.querySelector('[data-field="equity"]')?.textContent === t,
      text,
      { polling: 'raf', timeout: 10_000 },
    );
    samples.push((await page.evaluate(() => performance.timeOrigin + performance.now())) - t0);
  }
  await page.close();
  dashboard.child.kill('SIGTERM');
  await once(dashboard.child, 'exit');
  writer.close();
  samples.sort((a, b) => a - b);
  return {
    pollMs,
    p50: percentile(samples, 50),
    p99: percentile(samples, 99),
    max: samples[samples.length - 1] ?? Number.NaN,
  };
}

async function soak(
  minutes: number,
  browser: Awaited<ReturnType<typeof launchChromium>>['browser'],
) {
  const db = join(dir, 'soak.db');
  const writer = StateWriter.open(db);
  let tick = 0;
  seed(writer, 100_000);
  const engine = setInterval(() => {
    tick++;
    seed(writer, 100_000 + (tick % 5000));
    if (tick % 20 === 0)
      writer.recordTrade({
        symbol: 'EURUSD',
        side: 'long',
        qty: 1,
        entry_price: 1.08,
        exit_price: 1.081,
        pnl: (tick % 7) - 3,
      });
  }, 250);
  const dashboard = await startDashboard(db, 250);
  const page = await browser.newPage();
  const cdp = await browser.newCDPSession(page);
  await page.goto(`${dashboard.url}/live`);
  await page.waitForSelector('#connection[data-state="live"]');
  const heap = async () => {
    await cdp.send('HeapProfiler.collectGarbage');
    const { usedSize } = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number };
    return usedSize / 2 ** 20;
  };
  await page.waitForTimeout(30_000); // let charts and caches reach steady state
  const rows: Array<Array<string | number>> = [];
  const start = await heap();
  rows.push([0, fmt(start, 2), fmt(0, 2)]);
  const step = Math.max(1, Math.round(minutes / 6));
  for (let m = step; m <= minutes; m += step) {
    await page.waitForTimeout(step * 60_000);
    const now = await heap();
    rows.push([m, fmt(now, 2), fmt(now - start, 2)]);
  }
  clearInterval(engine);
  await page.close();
  dashboard.child.kill('SIGTERM');
  await once(dashboard.child, 'exit');
  writer.close();
  printTable(
    ['minutes (tab open, engine writing 4/s)', 'JS heap MB (after GC)', 'growth MB'],
    rows,
  );
}

console.log(`machine: ${await machineLine()}\n`);
const chromium = await launchChromium();
try {
  const results = [];
  for (const pollMs of [1000, 250]) results.push(await latency(pollMs, chromium.browser));
  printTable(
    [
      `update() → DOM, ${UPDATES} updates`,
      'p50 ms',
      'p99 ms',
      'max ms',
      'target p50 ≤ poll/2 + 100',
    ],
    results.map((r) => [
      `--poll-ms ${r.pollMs}`,
      fmt(r.p50, 0),
      fmt(r.p99, 0),
      fmt(r.max, 0),
      `${r.pollMs / 2 + 100} ms: ${r.p50 <= r.pollMs / 2 + 100 ? 'met' : 'missed'}`,
    ]),
  );
  if (SOAK_MINUTES > 0) {
    console.log('');
    await soak(SOAK_MINUTES, chromium.browser);
  }
} finally {
  await chromium.close();
  rmSync(dir, { recursive: true, force: true });
}
