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

declare global {
  interface Window {
    /** When (Date.now()) this tab first showed the connection as live, and the new value. */
    benchLiveAt?: number;
    benchShownAt?: number;
  }
}

/**
 * Each tab writes down, from a MutationObserver, when it went live. Timestamps taken in the page
 * (one machine, one clock) do not wait for the harness, and the harness does not poll twenty
 * pages at every animation frame, which took CPU from the pages being measured.
 */
function noteWhenLive() {
  new MutationObserver(() => {
    if (window.benchLiveAt) return;
    if (document.getElementById('connection')?.dataset.state === 'live')
      window.benchLiveAt = Date.now();
  }).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-state'] });
}

function noteWhenShown(text: string) {
  const check = () => {
    if (
      !window.benchShownAt &&
      document.getElementById('panel-header')?.textContent?.includes(text)
    )
      window.benchShownAt = Date.now();
  };
  new MutationObserver(check).observe(document.body, {
    subtree: true,
    childList: true,
    characterData: true,
  });
  check();
}

/** The latest of a timestamp the pages note down, once every page has one. */
async function latest(pages: Page[], name: 'benchLiveAt' | 'benchShownAt'): Promise<number> {
  const times = await Promise.all(
    pages.map(async (page) => {
      const handle = await page.waitForFunction((key) => window[key], name, {
        polling: 100,
        timeout: 60_000,
      });
      return Number(await handle.jsonValue());
    }),
  );
  return Math.max(...times);
}

/**
 * The same-run baseline: twenty tabs of the dashboard's favicon (an image, no page, no script)
 * opened by the same harness. Chromium creating twenty tabs on two cores takes this much before
 * any page of ours costs anything.
 */
export async function twentyBlankTabs(dir: string): Promise<number> {
  const db = join(dir, 'blank.db');
  const writer = StateWriter.open(db);
  seed(writer, 1);
  const dashboard = await startE2eDashboard(db, dir);
  const chromium = await launchChromium();
  try {
    const started = Date.now();
    await Promise.all(
      TABS.map(async () => {
        const page = await chromium.browser.newPage();
        await page.goto(`${dashboard.url}/favicon.svg`, { timeout: 60_000 });
      }),
    );
    return Date.now() - started;
  } finally {
    await chromium.close();
    await dashboard.stop();
    writer.close();
  }
}

/** One run of twenty tabs. */
export interface TabRun {
  tabs: number;
  /** From opening the first tab until the last one is live. */
  loadMs: number;
  /** From one engine write until every tab shows it. */
  allShownMs: number;
  /** Streams the dashboard holds for the twenty tabs. */
  streams: number;
}

/** What a browser offers outside a secure context (plain http on a LAN): no Web Locks. */
function withoutWebLocks() {
  delete (Navigator.prototype as { locks?: unknown }).locks;
}

/**
 * Twenty tabs of one browser (mixed pages) opened at once: time until all are live, time from
 * one engine write until every tab shows it, and the streams the dashboard holds for them.
 * `webLocks: false` is a page served over plain http on a LAN (the bench's loopback URL is a
 * secure context, which has them).
 */
export async function twentyTabs(dir: string, { webLocks = true } = {}): Promise<TabRun> {
  const db = join(dir, 'tabs.db');
  const writer = StateWriter.open(db);
  seed(writer, 100_000);
  writer.heartbeat({ version: '1.0.0' });
  const dashboard = await startE2eDashboard(db, dir);
  const chromium = await launchChromium();
  try {
    await chromium.browser.addInitScript(noteWhenLive);
    if (!webLocks) await chromium.browser.addInitScript(withoutWebLocks);
    const started = Date.now();
    const pages: Page[] = await Promise.all(
      TABS.map(async (path) => {
        const page = await chromium.browser.newPage();
        await page.goto(dashboard.url + path, { timeout: 60_000 });
        return page;
      }),
    );
    const loadMs = (await latest(pages, 'benchLiveAt')) - started;
    // Joining tabs re-open the shared stream with more pages: let the last one settle.
    const settle = Date.now() + 10_000;
    while ((await dashboard.metric('tradewatch_live_streams')) !== 1 && Date.now() < settle)
      await new Promise((r) => setTimeout(r, 50));
    const streams = await dashboard.metric('tradewatch_live_streams');
    await Promise.all(pages.map((page) => page.evaluate(noteWhenShown, 'v2.0.0')));
    const written = Date.now();
    writer.heartbeat({ version: '2.0.0' });
    const allShownMs = (await latest(pages, 'benchShownAt')) - written;
    return { tabs: TABS.length, loadMs, allShownMs, streams };
  } finally {
    await chromium.close();
    await dashboard.stop();
    writer.close();
  }
}
