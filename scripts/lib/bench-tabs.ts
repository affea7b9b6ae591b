import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { StateWriter } from '../../src/state/index.js';
import { launchChromium } from './chromium.js';
import { seed, startE2eDashboard } from './e2e-dashboard.js';

const TABS = [
  ...['/live', '/live/symbol/EURUSD', '/alerts', '/system', '/logs'],
  ...['/live/symbol/US500', '/live', '/live/symbol/EURUSD', '/alerts', '/system'],
  ...['/logs', '/live', '/live/symbol/US500', '/live', '/live/symbol/EURUSD'],
  ...['/alerts', '/system', '/live', '/live/symbol/US500', '/logs'],
];

/**
 * Twenty tabs of one browser (mixed pages) opened at once: time until all are live, time from
 * one engine write until every tab shows it, and the streams the dashboard holds for them.
 */
export async function twentyTabs(dir: string) {
  const db = join(dir, 'tabs.db');
  const writer = StateWriter.open(db);
  seed(writer, 100_000);
  writer.heartbeat({ version: '1.0.0' });
  const dashboard = await startE2eDashboard(db, dir);
  const chromium = await launchChromium();
  try {
    const started = performance.now();
    const pages: Page[] = await Promise.all(
      TABS.map(async (path) => {
        const page = await chromium.browser.newPage();
        await page.goto(dashboard.url + path, { timeout: 60_000 });
        await page.waitForSelector('#connection[data-state="live"]', { timeout: 60_000 });
        return page;
      }),
    );
    const loadMs = performance.now() - started;
    // Joining tabs re-open the shared stream with more pages: let the last one settle.
    const settle = Date.now() + 10_000;
    while ((await dashboard.metric('tradewatch_live_streams')) !== 1 && Date.now() < settle)
      await new Promise((r) => setTimeout(r, 50));
    const streams = await dashboard.metric('tradewatch_live_streams');
    const t0 = Date.now();
    writer.heartbeat({ version: '2.0.0' });
    await Promise.all(
      pages.map((page) =>
        page.waitForFunction(
          () => document.getElementById('panel-header')?.textContent?.includes('v2.0.0'),
          undefined,
          { polling: 'raf', timeout: 30_000 },
        ),
      ),
    );
    return { tabs: TABS.length, loadMs, allShownMs: Date.now() - t0, streams };
  } finally {
    await chromium.close();
    await dashboard.stop();
    writer.close();
  }
}
