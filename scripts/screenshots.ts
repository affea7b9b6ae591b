/**
 * `npm run screenshots`: runs the demo engine (seeded, fast) and the dashboard, and saves
 * the README's screenshots to docs/screenshots/ with headless Chromium.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { firstLine } from './lib/child-output.js';
import { launchChromium } from './lib/chromium.js';

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));
const out = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'tradewatch-shots-'));
const db = join(dir, 'demo.db');

const engine = spawn(
  process.execPath,
  [here('./simulate-engine.js'), '--db', db, '--interval-ms', '150', '--seed', '7', '--quiet'],
  { stdio: 'inherit' },
);
const dashboard: ChildProcess = spawn(
  process.execPath,
  [
    here('../src/cli.js'),
    '--db',
    `demo=${db}`,
    '--port',
    '0',
    '--poll-ms',
    '250',
    '--data-dir',
    dir,
    ...['trading', 'system', 'error'].flatMap((name) => [
      '--log',
      `${name}=${join(dir, 'logs', `${name}.log`)}`,
    ]),
    ...['--system-interval', '2s'],
  ],
  { stdio: ['ignore', 'pipe', 'inherit'] },
);
const url = (await firstLine(dashboard, /listening on (https?:\/\/[^\s"]+)/))[1] ?? '';
// Let the simulated market move, trades close and charts fill.
await sleep(40_000);

mkdirSync(out, { recursive: true });
const chromium = await launchChromium();
// The two widths the layout test checks: a desk (1366 × 850) and a phone (360 × 740).
const DESK = [1366, 850] as const;
const PHONE = [360, 740] as const;
type Shot = [
  file: string,
  path: string,
  width: number,
  height: number,
  theme?: string,
  at?: string,
];
const shots: Shot[] = [
  ['live-desktop.png', '/live', ...DESK],
  ['symbol-desktop.png', '/live/symbol/EURUSD', ...DESK],
  ['live-phone.png', '/live', ...PHONE],
  ['positions-phone.png', '/live', ...PHONE, undefined, '#panel-positions'],
  ['symbol-phone.png', '/live/symbol/EURUSD', ...PHONE],
  ['state-phone.png', '/state', ...PHONE],
  ['live-light.png', '/live', ...DESK, 'light'],
  ['system-desktop.png', '/system', ...DESK],
  ['alerts-desktop.png', '/alerts', ...DESK],
  ['logs-desktop.png', '/logs', ...DESK],
];
for (const [file, path, width, height, theme, at] of shots) {
  const page = await chromium.browser.newPage();
  await page.setViewportSize({ width, height });
  // Always set: the browser profile is shared, so the light shot would leak into the next ones.
  await page.addInitScript((t) => localStorage.setItem('tradewatch-theme', t), theme ?? 'dark');
  await page.goto(url + path);
  await page.waitForSelector('#connection[data-state="live"]');
  if (at) await page.locator(at).scrollIntoViewIfNeeded();
  await sleep(1500);
  await page.screenshot({ path: join(out, file) });
  await page.close();
  console.log(`saved docs/screenshots/${file}`);
}
// Replay: the live page as it was 20 s ago, with the time bar.
{
  const page = await chromium.browser.newPage();
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(`${url}/live?at=${new Date(Date.now() - 20_000).toISOString()}`);
  await page.waitForSelector('#timebar[data-ready="true"]');
  await sleep(1500);
  await page.screenshot({ path: join(out, 'replay-desktop.png') });
  await page.close();
  console.log('saved docs/screenshots/replay-desktop.png');
}
await chromium.close();
for (const child of [engine, dashboard]) {
  child.kill('SIGTERM');
  await once(child, 'exit');
}
rmSync(dir, { recursive: true, force: true });
