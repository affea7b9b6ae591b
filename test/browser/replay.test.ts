import { join } from 'node:path';
import { pino } from 'pino';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { type Dashboard, startDashboard } from '../../src/service/dashboard.js';
import { StateWriter } from '../../src/state/index.js';
import { hasBinary } from '../helpers/binaries.js';
import { launchChromium } from '../helpers/browser.js';
import { chartsBuilt } from '../helpers/page-state.js';
import { tempDir } from '../helpers/tmp.js';

const POLL_MS = 200;
const iso = (ms: number) => new Date(ms).toISOString();

/** Polls `check` until it returns a value, or fails after `timeoutMs`. */
async function until<T>(
  check: () => Promise<T | null | undefined>,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== null && value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe.runIf(hasBinary('chromium'))('replay time bar in headless Chromium', () => {
  const dir = tempDir();
  const dbPath = join(dir, 'engine.db');
  let writer: StateWriter;
  let dashboard: Dashboard;
  let chromium: Awaited<ReturnType<typeof launchChromium>>;
  /** Recorded moments: flat (A), long with SL/TP (B), the trade that closed it (C). */
  const t = { a: 0, b: 0, c: 0 };

  const api = async (path: string) => (await fetch(dashboard.url + path)).json();
  /** The next recorded change after `ms`, once it exists. */
  const nextChange = (ms: number) =>
    until(async () => (await api(`/api/v1/replay/step?at=${ms}&dir=next`)).at as number | null);

  beforeAll(async () => {
    const { config } = loadConfig(
      [
        '--db',
        `main=${dbPath}`,
        '--port',
        '0',
        '--poll-ms',
        String(POLL_MS),
        '--data-dir',
        dir,
        '--tz',
        'UTC',
      ],
      {},
    );
    writer = StateWriter.open(dbPath, { strict: true });
    writer.summary({ cash: 50_000, value: 50_000, currency: 'USD' });
    writer.symbol('EURUSD', { price: 1.1, position_size: 0 });
    writer.heartbeat();
    dashboard = await startDashboard(config, pino({ level: 'silent' }));
    t.a = await until(async () => (await api('/api/v1/replay')).window?.from as number | undefined);
    await new Promise((r) => setTimeout(r, 1100)); // records are at most one a second
    writer.symbol('EURUSD', {
      price: 1.101,
      position_size: 1000,
      position_price: 1.1,
      sl_price: 1.0877,
      tp_price: 1.1234,
    });
    t.b = await nextChange(t.a);
    await new Promise((r) => setTimeout(r, 1100));
    writer.symbol('EURUSD', { price: 1.12, position_size: 0 });
    writer.recordTrade({ symbol: 'EURUSD', side: 'long', qty: 1000, pnl: 20 });
    t.c = await until(async () => (await api('/api/v1/replay')).marks.trades[0] as number);
    chromium = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await chromium?.close();
    await dashboard?.close();
    writer?.close();
  });

  async function open(at: number, width: number): Promise<Page> {
    const page = await chromium.browser.newPage();
    await page.setViewportSize({ width, height: width < 500 ? 780 : 900 });
    await page.goto(`${dashboard.url}/live?at=${iso(at)}`);
    await page.waitForSelector('#timebar[data-ready="true"]', { timeout: 10_000 });
    await chartsBuilt(page);
    return page;
  }
  const positions = (page: Page) => page.locator('#panel-positions').innerText();
  const painted = (page: Page, ms: number) =>
    page.waitForSelector(`#timebar[data-painted="${ms}"]`, { timeout: 10_000 });
  const atInUrl = (page: Page) => new URL(page.url()).searchParams.get('at');

  for (const width of [1366, 360]) {
    describe(`at ${width} px`, () => {
      it('shows the moment with a REPLAY header and title and a cursor on the chart', async () => {
        const page = await open(t.b + 100, width);
        expect(await page.title()).toMatch(/^REPLAY /);
        expect(await page.locator('#replay-badge').isVisible()).toBe(true);
        expect(await positions(page)).toContain('1.0877');
        const cursor = await page.evaluate(() => {
          const canvas = document.getElementById('chart-equity');
          type Cursor = {
            options: { plugins: { annotation: { annotations: Record<string, { xMin: number }> } } };
          };
          const chart = (
            window as unknown as { Chart: { getChart(c: unknown): Cursor | undefined } }
          ).Chart.getChart(canvas);
          return chart?.options.plugins.annotation.annotations.replayCursor?.xMin;
        });
        expect(cursor).toBe(t.b + 100);
        await page.close();
      });

      it('scrubbing the bar paints the moment dragged to and puts it in the URL', async () => {
        const page = await open(t.a, width);
        expect(await positions(page)).not.toContain('1.0877');
        const target = Math.round((t.b + t.c) / 2);
        // Drag the thumb as a finger or mouse would, then settle on the exact moment.
        const box = await page.locator('.timebar-range').boundingBox();
        if (!box) throw new Error('no time bar');
        const y = box.y + box.height / 2;
        await page.mouse.move(box.x + 4, y);
        await page.mouse.down();
        await page.mouse.move(box.x + box.width / 2, y, { steps: 5 });
        await page.mouse.up();
        await until(async () => (atInUrl(page) !== iso(t.a) ? true : null));
        await page.locator('.timebar-range').evaluate((el, ms) => {
          const input = el as HTMLInputElement;
          input.value = String(ms);
          input.dispatchEvent(new Event('change', { bubbles: true }));
        }, target);
        await until(async () => ((await positions(page)).includes('1.0877') ? true : null));
        expect(Date.parse(atInUrl(page) ?? '')).toBeGreaterThanOrEqual(t.b);
        expect(await page.title()).toMatch(/^REPLAY /);
        await page.close();
      });

      it('→ steps to the next change and ← back; Shift+→ jumps to the trade', async () => {
        const page = await open(t.a, width);
        await page.keyboard.press('ArrowRight');
        await painted(page, t.b);
        expect(await positions(page)).toContain('1.0877');
        expect(atInUrl(page)).toBe(iso(t.b));
        await page.keyboard.press('ArrowLeft');
        await painted(page, t.a);
        expect(await positions(page)).not.toContain('1.0877');
        await page.keyboard.press('Shift+ArrowRight');
        await painted(page, t.c);
        expect(await page.locator('#panel-trades').innerText()).toContain('EURUSD');
        expect(await positions(page)).not.toContain('1.0877');
        await page.close();
      });

      it('after steps in place the panels, title and badge equal a fresh load of the URL', async () => {
        const page = await open(t.a, width);
        await page.keyboard.press('ArrowRight');
        await painted(page, t.b);
        await page.keyboard.press('Shift+ArrowRight');
        await painted(page, t.c);
        await page.keyboard.press('ArrowLeft');
        await painted(page, t.b);
        const shown = (p: Page) =>
          p.evaluate(() => ({
            title: document.title,
            badge: document.getElementById('replay-badge')?.textContent,
            panels: Array.from(document.querySelectorAll('[data-panel][id]')).map((el) => [
              el.id,
              (el as HTMLElement).innerText,
            ]),
          }));
        const stepped = await shown(page);
        const fresh = await chromium.browser.newPage();
        await fresh.setViewportSize({ width, height: width < 500 ? 780 : 900 });
        await fresh.goto(page.url());
        await fresh.waitForSelector('#timebar[data-ready="true"]', { timeout: 10_000 });
        expect(stepped.panels.length).toBeGreaterThan(3);
        expect(stepped).toEqual(await shown(fresh));
        await fresh.close();
        await page.close();
      });

      it('plays forward and Space pauses', async () => {
        const page = await open(t.a, width);
        await page.locator('[data-act="play"]').click();
        await page.waitForSelector('#timebar[data-playing="true"]');
        await until(async () => {
          const at = Number(await page.locator('#timebar').getAttribute('data-painted'));
          return at >= t.a + 500 ? at : null;
        });
        await page.keyboard.press(' ');
        await page.waitForSelector('#timebar[data-playing="false"]');
        await page.close();
      });

      it('L returns to live: no ?at=, no REPLAY, the live stream connects', async () => {
        const page = await open(t.b, width);
        await page.keyboard.press('l');
        await page.waitForSelector('#connection[data-state="live"]', { timeout: 10_000 });
        expect(atInUrl(page)).toBeNull();
        expect(await page.locator('#replay-badge').count()).toBe(0);
        expect(await page.title()).not.toMatch(/REPLAY/);
        await page.close();
      });
    });
  }

  it('on a live page, ← pressed before the time bar has its marks waits for them and steps back', async () => {
    const page = await chromium.browser.newPage();
    // The marks are loaded when the page is idle: hold that request until the key is pressed.
    const held: Array<() => Promise<void>> = [];
    let released = false;
    await page.route('**/api/v1/replay?*', (route) =>
      released ? route.continue() : held.push(() => route.continue()),
    );
    await page.goto(`${dashboard.url}/live`);
    await page.waitForSelector('#connection[data-state="live"]', { timeout: 10_000 });
    expect(await page.locator('#timebar').getAttribute('data-ready')).toBeNull();
    await page.keyboard.press('ArrowLeft');
    released = true;
    for (const release of held) await release();
    await page.waitForURL(/[?&]at=/, { timeout: 10_000 });
    expect(await page.title()).toMatch(/^REPLAY /);
    await page.close();
  });

  it('a finger tap on the time bar of a phone (360 px, touch) moves the page to that moment', async () => {
    const phone = await launchChromium({
      viewport: { width: 360, height: 780 },
      hasTouch: true,
      isMobile: true,
    });
    const page = await phone.browser.newPage();
    await page.goto(`${dashboard.url}/live?at=${iso(t.a)}`);
    await page.waitForSelector('#timebar[data-ready="true"]', { timeout: 10_000 });
    const box = await page.locator('.timebar-range').boundingBox();
    if (!box) throw new Error('no time bar');
    expect(box.x + box.width).toBeLessThanOrEqual(360); // the whole bar is on the screen
    await page.touchscreen.tap(box.x + box.width * 0.9, box.y + box.height / 2);
    const at = await until(async () => {
      const value = await page.locator('#timebar').getAttribute('data-painted');
      return value && Number(value) !== t.a ? Number(value) : null;
    });
    expect(at).toBeGreaterThan(t.a);
    expect(new URL(page.url()).searchParams.get('at')).toBe(iso(at));
    expect(await page.locator('#replay-badge time').getAttribute('datetime')).toBe(iso(at));
    await phone.close();
  }, 60_000);
});
