import { join } from 'node:path';
import { pino } from 'pino';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { type Dashboard, startDashboard } from '../../src/service/dashboard.js';
import { StateWriter } from '../../src/state/index.js';
import { hasBinary } from '../helpers/binaries.js';
import { launchChromium } from '../helpers/browser.js';
import { tempDir } from '../helpers/tmp.js';

/** Generous: this machine runs other suites beside this one. Speed is for bench:e2e. */
const DEADLINE_MS = 30_000;
const TWENTY_TABS = [
  ...['/live', '/live/symbol/EURUSD', '/alerts', '/system', '/logs'],
  ...['/live/symbol/BTCUSD', '/live', '/live/symbol/EURUSD', '/alerts', '/system'],
  ...['/logs', '/live', '/live/symbol/BTCUSD', '/live', '/live/symbol/EURUSD'],
  ...['/alerts', '/system', '/live', '/live/symbol/BTCUSD', '/logs'],
];

/** Resolves once `condition()` holds, polling it; rejects after `ms`. */
async function eventually(condition: () => boolean | Promise<boolean>, ms = DEADLINE_MS) {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Records every state the connection indicator shows, from the first paint on. */
function recordConnectionStates() {
  const w = window as unknown as { connectionStates: string[] };
  w.connectionStates = [];
  document.addEventListener('DOMContentLoaded', () => {
    const indicator = document.getElementById('connection');
    if (!indicator) return;
    new MutationObserver(() => w.connectionStates.push(indicator.dataset.state ?? '')).observe(
      indicator,
      { attributes: true, attributeFilter: ['data-state'] },
    );
  });
}

const headerShows = (page: Page, text: string) =>
  page.waitForFunction(
    (t) => document.getElementById('panel-header')?.textContent?.includes(t) === true,
    text,
    { timeout: DEADLINE_MS },
  );
const role = (page: Page) => page.evaluate(() => document.documentElement.dataset.streamRole);

describe.runIf(hasBinary('chromium'))('tabs of one browser share one stream', () => {
  const dir = tempDir();
  const dbPath = join(dir, 'engine.db');
  let writer: StateWriter;
  let dashboard: Dashboard;

  beforeAll(async () => {
    writer = StateWriter.open(dbPath, { strict: true });
    writer.summary({ cash: 50_000, value: 51_000, currency: 'USD' });
    writer.symbol('EURUSD', { price: 1.08421, position_size: 100_000, position_price: 1.084 });
    writer.symbol('BTCUSD', { price: 65_000.5, position_size: 0 });
    writer.heartbeat({ version: '1.0.0' });
    const { config } = loadConfig(
      ['--db', `main=${dbPath}`, '--port', '0', '--data-dir', dir, '--tz', 'UTC'],
      {},
    );
    dashboard = await startDashboard(config, pino({ level: 'silent' }));
  });

  afterAll(async () => {
    await dashboard?.close();
    writer?.close();
  });

  /** A browser of its own (a persistent context: its tabs share storage, locks and channels). */
  async function newBrowser(): Promise<BrowserContext> {
    const chromium = await launchChromium();
    onTestFinished(() => chromium.close());
    return chromium.browser;
  }

  async function openTabs(context: BrowserContext, paths: string[]): Promise<Page[]> {
    return Promise.all(
      paths.map(async (path) => {
        const page = await context.newPage();
        await page.goto(dashboard.url + path, { timeout: DEADLINE_MS });
        await page.waitForSelector('#connection[data-state="live"]', { timeout: DEADLINE_MS });
        return page;
      }),
    );
  }

  it('twenty tabs load, hold one stream between them, each follows its own page, and closing the leader hands over without a gap', async () => {
    const context = await newBrowser();
    await context.addInitScript(recordConnectionStates);
    const pages = await openTabs(context, TWENTY_TABS);
    await eventually(() => dashboard.streams() === 1);

    writer.heartbeat({ version: '2.0.0' });
    writer.symbol('BTCUSD', { price: 66_000.25, position_size: 0 });
    await Promise.all(pages.map((page) => headerShows(page, 'v2.0.0')));
    // Each symbol page shows its own symbol only.
    for (const [i, page] of pages.entries()) {
      const symbol = /symbol\/(\w+)/.exec(TWENTY_TABS[i] ?? '')?.[1];
      if (!symbol) continue;
      const other = symbol === 'EURUSD' ? 'BTCUSD' : 'EURUSD';
      await page.waitForFunction(
        (s) => document.querySelector('[data-field="price"]')?.textContent?.includes(s) === true,
        symbol === 'EURUSD' ? '1.08421' : '66,000.25',
        { timeout: DEADLINE_MS },
      );
      expect(await page.textContent('#panel-symbol')).not.toContain(other);
    }

    const roles = await Promise.all(pages.map(role));
    expect(roles.filter((r) => r === 'leader')).toHaveLength(1);
    const leader = pages[roles.indexOf('leader')] as Page;
    const rest = pages.filter((p) => p !== leader);
    await leader.close();
    await eventually(async () => (await Promise.all(rest.map(role))).includes('leader'));
    writer.heartbeat({ version: '3.0.0' });
    await Promise.all(rest.map((page) => headerShows(page, 'v3.0.0')));
    expect((await Promise.all(rest.map(role))).filter((r) => r === 'leader')).toHaveLength(1);
    await eventually(() => dashboard.streams() === 1);
    for (const page of rest) {
      const states = await page.evaluate(
        () => (window as unknown as { connectionStates: string[] }).connectionStates,
      );
      expect(states, states.join()).not.toContain('reconnecting');
      expect(states).not.toContain('offline');
    }
    await context.close();
    await eventually(() => dashboard.streams() === 0);
  }, 180_000);

  it('shares one stream without Web Locks (plain http on a LAN), and the next oldest tab leads when the leader closes', async () => {
    const context = await newBrowser();
    await context.addInitScript(() => {
      // What a browser offers outside a secure context.
      delete (Navigator.prototype as { locks?: unknown }).locks;
    });
    const pages: Page[] = [];
    for (const path of ['/live', '/live/symbol/EURUSD', '/alerts'])
      pages.push(...(await openTabs(context, [path])));
    expect(await pages[0]?.evaluate(() => 'locks' in navigator)).toBe(false);
    await eventually(async () => (await role(pages[0] as Page)) === 'leader');
    await eventually(() => dashboard.streams() === 1);
    await pages[0]?.close({ runBeforeUnload: true });
    await eventually(async () => (await role(pages[1] as Page)) === 'leader');
    writer.heartbeat({ version: '4.0.0' });
    await Promise.all(pages.slice(1).map((page) => headerShows(page, 'v4.0.0')));
    expect(await role(pages[2] as Page)).toBe('follower');
    await eventually(() => dashboard.streams() === 1);
    await context.close();
    await eventually(() => dashboard.streams() === 0);
  }, 180_000);

  it('goes live before the Web Lock is granted, then hands the stream to the lock holder', async () => {
    // Chromium took 1.7 s to grant the first lock while opening twenty tabs. Here no lock is
    // granted until the test says so, tab by tab.
    const context = await newBrowser();
    await context.addInitScript(() => {
      const w = window as unknown as { releaseLocks: () => void };
      const request = LockManager.prototype.request as (...args: unknown[]) => Promise<unknown>;
      const held: Array<() => void> = [];
      w.releaseLocks = () => {
        for (const run of held.splice(0)) run();
      };
      LockManager.prototype.request = function (this: LockManager, ...args: unknown[]) {
        return new Promise<unknown>((resolve, reject) =>
          held.push(() => request.apply(this, args).then(resolve, reject)),
        );
      } as unknown as LockManager['request'];
    });
    const pages: Page[] = [];
    for (const path of ['/live', '/live/symbol/EURUSD', '/alerts', '/system'])
      pages.push(...(await openTabs(context, [path])));
    // All live with no lock granted: the oldest tab leads meanwhile.
    expect(await Promise.all(pages.map(role))).toEqual([
      'leader',
      'follower',
      'follower',
      'follower',
    ]);
    await eventually(() => dashboard.streams() === 1);
    // It closes before any lock is granted: the next oldest leads.
    const [first, oldest, middle, youngest] = pages as [Page, Page, Page, Page];
    await first.close({ runBeforeUnload: true });
    const rest = [oldest, middle, youngest];
    await eventually(async () => (await role(oldest)) === 'leader');
    await eventually(() => dashboard.streams() === 1);
    writer.heartbeat({ version: '7.0.0' });
    await Promise.all(rest.map((page) => headerShows(page, 'v7.0.0')));
    // The youngest tab's request is granted first: it leads, and the oldest yields to it.
    const release = (page: Page) =>
      page.evaluate(() => (window as unknown as { releaseLocks: () => void }).releaseLocks());
    await release(youngest);
    await eventually(async () => (await role(youngest)) === 'leader');
    await eventually(async () => (await role(oldest)) === 'follower');
    for (const page of [oldest, middle]) await release(page);
    await eventually(() => dashboard.streams() === 1);
    writer.heartbeat({ version: '8.0.0' });
    await Promise.all(rest.map((page) => headerShows(page, 'v8.0.0')));
    expect(await Promise.all(rest.map(role))).toEqual(['follower', 'follower', 'leader']);
    await context.close();
  }, 180_000);

  it('a tab opened while the leader is busy follows it, and opens no stream of its own', async () => {
    const context = await newBrowser();
    await context.addInitScript(() => {
      const w = window as unknown as { roles: string[] };
      w.roles = [];
      // On the document: the init script runs before <html> exists.
      new MutationObserver(() =>
        w.roles.push(document.documentElement.dataset.streamRole ?? ''),
      ).observe(document, {
        subtree: true,
        attributes: true,
        attributeFilter: ['data-stream-role'],
      });
    });
    const [leader] = (await openTabs(context, ['/live'])) as [Page];
    await eventually(async () => (await role(leader)) === 'leader');
    // Busy for 2 s (as while twenty tabs load at once): it cannot answer the new tab's hello.
    const busy = leader.evaluate(() => {
      const until = Date.now() + 2000;
      while (Date.now() < until);
    });
    const [late] = (await openTabs(context, ['/alerts'])) as [Page];
    await busy;
    const roles = await late.evaluate(() => (window as unknown as { roles: string[] }).roles);
    expect(roles).toEqual(['follower']);
    await eventually(() => dashboard.streams() === 1);
    writer.heartbeat({ version: '10.0.0' });
    await headerShows(late, 'v10.0.0');
    await context.close();
  }, 180_000);

  it('a tab joining the stream does not redraw the panels it already shows', async () => {
    const context = await newBrowser();
    await context.addInitScript(() => {
      const w = window as unknown as { swapped: string[]; metas: string[] };
      w.swapped = [];
      w.metas = [];
      document.addEventListener('htmx:afterSwap', (event) =>
        w.swapped.push((event.target as HTMLElement).dataset.panel ?? '?'),
      );
      // A push ends each page's part with its meta event; the leader relays it to that page.
      const { postMessage } = BroadcastChannel.prototype;
      BroadcastChannel.prototype.postMessage = function (this: BroadcastChannel, m: unknown) {
        const event = m as { name?: string; data?: { s?: string } };
        if (event?.name === 'meta') w.metas.push(event.data?.s ?? '');
        return postMessage.call(this, m);
      };
    });
    const [live] = (await openTabs(context, ['/live'])) as [Page];
    const swapsOf = (page: Page) =>
      page.evaluate(() => (window as unknown as { swapped: string[] }).swapped);
    const metasOf = (page: Page) =>
      page.evaluate(() => (window as unknown as { metas: string[] }).metas);
    // A second page reopens the leader's stream, which sends every panel of both pages again
    // (/alerts's first, then /live's).
    await openTabs(context, ['/alerts']);
    await eventually(async () => {
      const metas = await metasOf(live);
      const reopened = metas.findIndex((tag) => tag.startsWith('alerts'));
      return reopened >= 0 && metas.slice(reopened).some((tag) => tag.startsWith('live'));
    });
    expect(await swapsOf(live)).toEqual([]);
    writer.heartbeat({ version: '9.0.0' });
    await headerShows(live, 'v9.0.0');
    expect(await swapsOf(live)).toContain('header');
    expect(await swapsOf(live)).not.toContain('positions');
    await context.close();
  }, 180_000);

  it('a tab coming into view takes the stream over from a frozen leader, which steps down when it thaws', async () => {
    const context = await newBrowser();
    const [leader, follower] = [
      ...(await openTabs(context, ['/live'])),
      ...(await openTabs(context, ['/live/symbol/EURUSD'])),
    ] as [Page, Page];
    await eventually(async () => (await role(leader)) === 'leader');
    // Frozen as a phone freezes a background tab: its main thread runs nothing for 8 s.
    // (CDP's Page.setWebLifecycleState does not freeze a page headless Chromium shows.)
    const frozen = leader.evaluate(() => {
      const until = Date.now() + 8000;
      while (Date.now() < until);
    });
    await follower.evaluate(() => document.dispatchEvent(new Event('visibilitychange')));
    await eventually(async () => (await role(follower)) === 'leader');
    writer.heartbeat({ version: '5.0.0' });
    await headerShows(follower, 'v5.0.0');
    await frozen;
    await eventually(async () => (await role(leader)) === 'follower');
    writer.heartbeat({ version: '6.0.0' });
    await Promise.all([headerShows(leader, 'v6.0.0'), headerShows(follower, 'v6.0.0')]);
    await eventually(() => dashboard.streams() === 1);
  }, 180_000);
});
