import { createServer } from 'node:net';
import { join } from 'node:path';
import { pino } from 'pino';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { type Dashboard, startDashboard } from '../../src/service/dashboard.js';
import { StateWriter } from '../../src/state/index.js';
import { hasBinary } from '../helpers/binaries.js';
import { launchChromium } from '../helpers/browser.js';
import { writeBusyEngine } from '../helpers/busy-engine.js';
import { tempDir } from '../helpers/tmp.js';

const WIDTHS = [
  { width: 360, height: 740 },
  { width: 1366, height: 850 },
];
const PAGES = ['/live', '/live/symbol/EURUSD', '/state', '/system', '/alerts', '/logs', '/nope'];
/** Set to a folder to keep a screenshot of every page at every width (for looking at them). */
const SHOTS = process.env.TRADEWATCH_LAYOUT_SHOTS;

/** A port nothing listens on: notifications to it fail, which fills the Notifications table. */
async function closedPort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

/**
 * What does not fit: elements reaching past the right edge of the viewport, and boxes whose
 * content is wider than the box (a table scrolled or clipped sideways hides columns).
 */
function overflowIn(page: Page) {
  return page.evaluate(() => {
    const out: string[] = [];
    const name = (el: Element) =>
      `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.className && typeof el.className === 'string' ? `.${el.className.trim().split(/\s+/).join('.')}` : ''} "${(el.textContent ?? '').trim().slice(0, 40)}"`;
    const width = document.documentElement.clientWidth;
    if (document.documentElement.scrollWidth > width)
      out.push(`page scrolls sideways: ${document.documentElement.scrollWidth} > ${width}`);
    for (const el of Array.from(document.body.querySelectorAll('*'))) {
      if (!el.checkVisibility() || el.closest('.sr-only, thead.sr-only')) continue;
      const rect = el.getBoundingClientRect();
      if (rect.width === 0 || rect.height <= 1) continue;
      if (rect.right > width + 0.5) out.push(`${name(el)} ends at ${rect.right} > ${width}`);
      const style = getComputedStyle(el);
      if (style.overflowX !== 'visible' && el.scrollWidth > el.clientWidth + 1)
        out.push(`${name(el)} hides ${el.scrollWidth - el.clientWidth}px sideways`);
    }
    return out.slice(0, 10);
  });
}

for (const symbols of [5, 200]) {
  describe.runIf(hasBinary('chromium'))(`every page at 360 and 1366 px, ${symbols} symbols`, () => {
    const dir = tempDir();
    const dbPath = join(dir, 'engine.db');
    const logPath = join(dir, 'trading.log');
    let dashboard: Dashboard;
    let chromium: Awaited<ReturnType<typeof launchChromium>>;

    beforeAll(async () => {
      writeBusyEngine(dbPath, logPath, symbols);
      // The small case watches a second engine too: the engine switcher and the Fleet link.
      if (symbols === 5) writeBusyEngine(join(dir, 'other.db'), join(dir, 'other.log'), 5);
      const hook = `http://127.0.0.1:${await closedPort()}/hook`;
      const { config } = loadConfig(
        [
          ...['--db', `main=${dbPath}`, '--port', '0', '--poll-ms', '250', '--tz', 'UTC'],
          ...(symbols === 5 ? ['--db', `backup-engine=${join(dir, 'other.db')}`] : []),
          ...['--data-dir', dir, '--log', `trading=${logPath}`, '--stale-after', '1h'],
          ...['--notify-webhook', hook, '--notify-level', 'webhook=INFO'],
        ],
        {},
      );
      dashboard = await startDashboard(config, pino({ level: 'silent' }));
      chromium = await launchChromium();
    });

    afterAll(async () => {
      await chromium?.close();
      await dashboard?.close();
    });

    async function open(path: string, viewport: { width: number; height: number }) {
      const page = await chromium.browser.newPage();
      await page.setViewportSize(viewport);
      const response = await page.goto(dashboard.url + path);
      if (path !== '/nope')
        await page.waitForSelector('#connection[data-state="live"]', { timeout: 15_000 });
      return { page, status: response?.status() };
    }

    for (const viewport of WIDTHS) {
      it(`no page overflows the viewport sideways or hides a column at ${viewport.width} px`, async () => {
        for (const path of symbols === 5 ? [...PAGES, '/fleet'] : PAGES) {
          const { page } = await open(path, viewport);
          if (path === '/alerts') {
            // The engine's alert fails to reach the closed port: a row with its error.
            await page.waitForSelector('#panel-deliveries tbody tr', { timeout: 20_000 });
          }
          if (SHOTS)
            await page.screenshot({
              path: join(SHOTS, `${symbols}-${viewport.width}${path.replace(/\//g, '_')}.png`),
              fullPage: true,
            });
          expect(await overflowIn(page), path).toEqual([]);
          await page.close();
        }
      }, 90_000); // seven pages, 200 symbols, on a machine shared with other test files

      it(`shows every position's P&L and distance to SL and TP without scrolling sideways at ${viewport.width} px`, async () => {
        const { page } = await open('/live', viewport);
        const cells = await page.$$eval('#panel-positions tbody tr', (rows) =>
          rows.map((row) =>
            ['pnl', 'pnl-pct', 'sl-distance', 'tp-distance'].map((field) => {
              const cell = row.querySelector(`[data-field="${field}"]`);
              const rect = cell?.getBoundingClientRect();
              return {
                text: cell?.textContent?.trim() ?? '',
                inside:
                  !!rect &&
                  !!cell?.checkVisibility() &&
                  rect.width > 0 &&
                  rect.left >= 0 &&
                  rect.right <= document.documentElement.clientWidth,
              };
            }),
          ),
        );
        expect(cells).toHaveLength(Math.ceil(symbols / 2));
        for (const row of cells) {
          for (const cell of row) {
            expect(cell.inside, cell.text).toBe(true);
            expect(cell.text).toMatch(/\d/);
          }
        }
        await page.close();
      }, 90_000); // seven pages, 200 symbols, on a machine shared with other test files
    }

    it.runIf(symbols === 5)(
      'sorts and filters recent trades, and keeps both through a live update',
      async () => {
        const { page } = await open('/live', { width: 1366, height: 850 });
        const visible = () =>
          page.$$eval('#panel-trades tbody tr:not([hidden])', (rows) =>
            rows.map((r) => ({
              symbol: (r as HTMLElement).dataset.symbol,
              side: (r as HTMLElement).dataset.side,
              pnl: Number(r.querySelector('td[data-value].num')?.getAttribute('data-value')),
            })),
          );
        await page.click('#panel-trades th >> text=P&L');
        const sorted = (await visible()).map((r) => r.pnl);
        expect(sorted).toHaveLength(50);
        expect(sorted).toEqual([...sorted].sort((a, b) => b - a));
        await page.fill('.table-tools [name="symbol"]', 'eur');
        await page.selectOption('.table-tools [name="side"]', 'Short');
        const filtered = await visible();
        expect(filtered.length).toBeGreaterThan(0);
        expect(filtered.every((r) => r.symbol === 'EURUSD' && r.side === 'Short')).toBe(true);
        expect(await page.textContent('.table-count')).toBe(`${filtered.length} of 50`);

        const writer = StateWriter.open(dbPath, { strict: true });
        writer.recordTrade({
          symbol: 'EURUSD',
          side: 'short',
          pnl: -999_999,
          exit_reason: 'signal',
        });
        writer.close();
        await page.waitForSelector('#panel-trades td[data-value="-999999"]', { timeout: 15_000 });
        const after = await visible();
        // The server lists it first (newest); the chosen order (P&L, descending) puts it last.
        expect(after.at(-1)?.pnl).toBe(-999_999);
        expect(after.every((r) => r.symbol === 'EURUSD' && r.side === 'Short')).toBe(true);
        await page.close();
      },
    );
  });
}
