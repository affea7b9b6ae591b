/**
 * `npm run screenshots:fleet`: four demo engines on one dashboard — two running, one stopped
 * (SIGTERM: its heartbeat says so) and one killed (SIGKILL: it goes stale) — and /fleet saved
 * to docs/screenshots/fleet-desktop.png and fleet-phone.png with headless Chromium.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { firstLine } from './lib/child-output.js';
import { launchChromium } from './lib/chromium.js';

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));
const out = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'tradewatch-fleet-shot-'));
const ENGINES = [
  { name: 'fx-trend', symbols: 'EURUSD,USDJPY', seed: 7 },
  { name: 'crypto-mm', symbols: 'BTCUSD,ETHUSD', seed: 11 },
  { name: 'index-swing', symbols: 'US500', seed: 3 },
  { name: 'fx-meanrev', symbols: 'EURUSD,US500', seed: 5 },
];

const engines = ENGINES.map((e) =>
  spawn(
    process.execPath,
    [
      here('./simulate-engine.js'),
      ...['--db', join(dir, `${e.name}.db`), '--symbols', e.symbols],
      ...['--interval-ms', '200', '--seed', String(e.seed), '--quiet'],
    ],
    { stdio: 'inherit' },
  ),
);
const dashboard: ChildProcess = spawn(
  process.execPath,
  [
    here('../src/cli.js'),
    ...ENGINES.flatMap((e) => ['--db', `${e.name}=${join(dir, `${e.name}.db`)}`]),
    ...['--port', '0', '--poll-ms', '250', '--data-dir', dir, '--stale-after', '5s'],
  ],
  { stdio: ['ignore', 'pipe', 'inherit'] },
);
const url = (await firstLine(dashboard, /listening on (https?:\/\/[^\s"]+)/))[1] ?? '';
// Let trades close, then stop one engine cleanly and kill another.
await sleep(25_000);
engines[2]?.kill('SIGTERM');
engines[3]?.kill('SIGKILL');
await sleep(8_000);

const chromium = await launchChromium();
for (const [file, width, height] of [
  ['fleet-desktop.png', 1280, 760],
  ['fleet-phone.png', 360, 780],
] as const) {
  const page = await chromium.browser.newPage();
  await page.setViewportSize({ width, height });
  await page.goto(`${url}/fleet`);
  await page.waitForSelector('#connection[data-state="live"]');
  await sleep(1000);
  await page.screenshot({ path: join(out, file) });
  await page.close();
  console.log(`saved docs/screenshots/${file}`);
}
await chromium.close();
for (const child of [...engines, dashboard]) {
  if (child.exitCode !== null || child.signalCode !== null) continue;
  child.kill('SIGTERM');
  await once(child, 'exit');
}
rmSync(dir, { recursive: true, force: true });
