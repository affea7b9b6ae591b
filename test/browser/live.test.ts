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

const POLL_MS = 250;
const XSS = '<img src=x onerror=alert(1)>';

describe.runIf(hasBinary('chromium'))('live pages in headless Chromium', () => {
  const dir = tempDir();
  const dbPath = join(dir, 'engine.db');
  let writer: StateWriter;
  let dashboard: Dashboard;
  let chromium: Awaited<ReturnType<typeof launchChromium>>;
  const start = async (port: number) => {
    const { config } = loadConfig(
      [
        '--db',
        `main=${dbPath}`,
        '--port',
        String(port),
        '--poll-ms',
        String(POLL_MS),
        '--data-dir',
        dir,
        '--tz',
        'UTC',
      ],
      {},
    );
    return startDashboard(config, pino({ level: 'silent' }));
  };

  beforeAll(async () => {
    writer = StateWriter.open(dbPath, { strict: true });
    writer.summary({ cash: 50_000, value: 51_234.5, currency: 'USD' });
    writer.symbol('EURUSD', {
      price: 1.08421,
      position_size: 100_000,
      position_price: 1.084,
      sl_price: 1.08,
      tp_price: 1.09,
      rsi14: 55,
    });
    writer.symbol('BTCUSD', { price: 65_000.5, position_size: 0, rsi14: 48 });
    writer.symbol(XSS, { price: 1, position_size: 0 });
    writer.heartbeat();
    writer.event('alert', 'ERROR', XSS);
    dashboard = await start(0);
    chromium = await launchChromium();
  });

  afterAll(async () => {
    await chromium?.close();
    await dashboard?.close();
    writer?.close();
  });

  async function open(path: string, viewport = { width: 1280, height: 900 }): Promise<Page> {
    const page = await chromium.browser.newPage();
    await page.setViewportSize(viewport);
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    (page as Page & { dialogs?: string[] }).dialogs = dialogs;
    await page.goto(dashboard.url + path);
    await page.waitForSelector('#connection[data-state="live"]', { timeout: 10_000 });
    await chartsBuilt(page);
    return page;
  }

  it('/live shows the engine values', async () => {
    const page = await open('/live');
    expect(await page.textContent('[data-field="equity"]')).toBe('51,234.50 USD');
    expect(await page.textContent('#panel-positions')).toContain('EURUSD');
    expect(await page.textContent('#panel-header .badge')).toContain('Live');
    await page.close();
  });

  it('shows a new write without reload within two poll intervals', async () => {
    const page = await open('/live');
    const before = await page.evaluate(() => performance.timeOrigin + performance.now());
    writer.summary({ cash: 50_000, value: 52_000, currency: 'USD' });
    await page.waitForFunction(
      () => document.querySelector('[data-field="equity"]')?.textContent === '52,000.00 USD',
      undefined,
      { timeout: 2 * POLL_MS + 2000 },
    );
    const after = await page.evaluate(() => performance.timeOrigin + performance.now());
    expect(after - before).toBeLessThan(2 * POLL_MS + 500);
    expect(await page.evaluate(() => performance.getEntriesByType('navigation').length)).toBe(1);
    await page.close();
  });

  it('draws charts with data points and appends new ones in place', async () => {
    const page = await open('/live/symbol/EURUSD');
    await page.waitForFunction(
      () =>
        (
          window as unknown as { tradewatchCharts?: { count(): number } }
        ).tradewatchCharts?.count() === 3,
    ); // price, RSI, other indicators (hidden until it has a series)
    const points = () =>
      page.evaluate(() =>
        (
          window as unknown as { tradewatchCharts: { points(i: number): number } }
        ).tradewatchCharts.points(0),
      );
    const initial = await points();
    expect(initial).toBeGreaterThan(0);
    for (let i = 1; i <= 2; i++) {
      // Not synchronisation: history samples a series at most once a second, by snapshot time,
      // and a snapshot comes up to one poll (250 ms) after its write — 1.1 s apart was racy
      // (a second sample 0.85 s after the first was skipped). 1.6 s apart always samples.
      await new Promise((r) => setTimeout(r, 1600));
      writer.symbol('EURUSD', {
        price: 1.08421 + i / 1000,
        position_size: 100_000,
        position_price: 1.084,
        sl_price: 1.08,
        tp_price: 1.09,
        rsi14: 55 + i,
      });
    }
    await page.waitForFunction(
      (n) =>
        (
          window as unknown as { tradewatchCharts: { points(i: number): number } }
        ).tradewatchCharts.points(0) >=
        n + 2,
      initial,
      { timeout: 15_000 }, // generous: CI runs other test files beside this one
    );
    await page.close();
  });

  it('keeps the 24 h window on an open chart: many live points are bucketed, points older than the window go', async () => {
    const page = await open('/live/symbol/EURUSD');
    await page.waitForFunction(
      () => (window as unknown as { tradewatchCharts?: unknown }).tradewatchCharts,
    );
    const span = () =>
      page.evaluate(() => {
        const w = window as unknown as {
          Chart: {
            getChart(c: Element): { data: { datasets: Array<{ data: Array<{ x: number }> }> } };
          };
        };
        const data =
          w.Chart.getChart(document.querySelector('canvas[data-price]') as Element).data.datasets[0]
            ?.data ?? [];
        return { n: data.length, first: data.at(0)?.x ?? 0, last: data.at(-1)?.x ?? 0 };
      });
    const before = await span();
    // 2,500 samples a second apart, in one panel's chart data (one redraw, not 2,500): more than
    // MAX_POINTS (2,000) within the window.
    await page.evaluate((from) => {
      const tail = Array.from({ length: 2500 }, (_, i) => [from + (i + 1) * 1000, 1.08 + i / 1e6]);
      const el = document.createElement('div');
      el.dataset.chartJson = 'series';
      el.dataset.json = JSON.stringify({ 'price:EURUSD': tail });
      (
        window as unknown as { tradewatchCharts: { refreshFrom(e: Element): void } }
      ).tradewatchCharts.refreshFrom(el);
    }, before.last);
    const many = await span();
    expect(many.n).toBeLessThanOrEqual(2000);
    // What the page had before stays (averaged into buckets); cutting to 2,000 dropped it all.
    // (the first bucket averages them with the first live samples: within one bucket, 86.4 s).
    expect(many.first).toBeLessThan(before.last + 86_400);
    expect(many.last).toBe(before.last + 2_500_000);
    // A sample more than 24 h after all the others: they fall out of the window.
    await page.evaluate((t) => {
      (
        window as unknown as { tradewatchCharts: { append(t: number, v: object): void } }
      ).tradewatchCharts.append(t, { 'price:EURUSD': 1.09 });
    }, many.last + 86_400_001);
    expect(await span()).toEqual({
      n: 1,
      first: many.last + 86_400_001,
      last: many.last + 86_400_001,
    });
    await page.close();
  });

  it('breaks a line where no sample came for over 5 minutes instead of drawing across the gap', async () => {
    const page = await open('/live/symbol/EURUSD');
    const segments = () =>
      page.evaluate(() => {
        type Line = { getDatasetMeta(i: number): { dataset: { segments: unknown[] } } };
        const Chart = (window as unknown as { Chart: { getChart(c: Element): Line } }).Chart;
        const chart = Chart.getChart(document.getElementById('chart-price') as Element);
        return chart.getDatasetMeta(0).dataset.segments.length;
      });
    const append = (t: number) =>
      page.evaluate(
        ([t, v]) =>
          (
            window as unknown as { tradewatchCharts: { append(t: number, v: object): void } }
          ).tradewatchCharts.append(t, { 'price:EURUSD': v }),
        [t, 1.0851] as const,
      );
    // Charts draw at the next animation frame.
    const drawn = () => page.evaluate(() => new Promise((r) => requestAnimationFrame(r)));
    const now = Date.now();
    await append(now + 60_000); // a minute after the last sample: the same line
    await drawn();
    const joined = await segments();
    expect(joined).toBeGreaterThanOrEqual(1);
    await append(now + 20 * 60_000); // twenty minutes without a sample: a gap
    await drawn();
    expect(await segments()).toBe(joined + 1);
    // The sample after the gap has no line yet: it is drawn as a dot.
    const lastRadius = await page.evaluate(() => {
      type Meta = { data: Array<{ options: { radius: number } }> };
      type Line = { getDatasetMeta(i: number): Meta };
      const Chart = (window as unknown as { Chart: { getChart(c: Element): Line } }).Chart;
      const chart = Chart.getChart(document.getElementById('chart-price') as Element);
      return chart.getDatasetMeta(0).data.at(-1)?.options.radius;
    });
    expect(lastRadius).toBe(3);
    await page.close();
  });

  it('says "No closed trades yet" instead of drawing an empty daily P&L axis', async () => {
    const page = await open('/live');
    expect(await page.textContent('#panel-performance')).toContain('No closed trades yet.');
    expect(await page.locator('#chart-daily').isVisible()).toBe(false);
    await page.close();
  });

  it("labels the price axis with the symbol's decimals and the time axis in 24-hour time", async () => {
    const page = await open('/live/symbol/EURUSD');
    const ticks = await page.evaluate(() => {
      type C = { scales: Record<string, { ticks: Array<{ label: string }> }> };
      const Chart = (window as unknown as { Chart: { getChart(c: Element): C } }).Chart;
      const chart = Chart.getChart(document.getElementById('chart-price') as Element);
      return {
        y: chart.scales.y?.ticks.map((t) => t.label),
        x: chart.scales.x?.ticks.map((t) => t.label),
      };
    });
    for (const label of ticks.y ?? []) expect(label).toMatch(/^\d\.\d{5}$/);
    for (const label of ticks.x ?? [])
      expect(label).toMatch(/^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$/);
    await page.close();
  });

  it('shows engine-supplied HTML as text', async () => {
    const page = await open('/live');
    expect(await page.textContent('#panel-alerts')).toContain(XSS);
    expect(await page.textContent('#panel-watch')).toContain(XSS);
    expect(await page.$$('img[src="x"]')).toHaveLength(0);
    expect((page as Page & { dialogs?: string[] }).dialogs).toEqual([]);
    await page.close();
  });

  it('has no horizontal scroll at 360 px phone width', async () => {
    for (const path of ['/live', '/live/symbol/EURUSD', '/state']) {
      const page = await open(path, { width: 360, height: 740 });
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - window.innerWidth,
      );
      expect(overflow, path).toBeLessThanOrEqual(0);
      await page.close();
    }
  });

  it('falls back to polling where EventSource is unavailable', async () => {
    const page = await chromium.browser.newPage();
    await page.addInitScript(() => {
      // A browser without Server-Sent Events.
      delete (window as { EventSource?: unknown }).EventSource;
    });
    await page.goto(`${dashboard.url}/live`);
    await page.waitForSelector('#connection[data-state="polling"]');
    writer.summary({ cash: 50_000, value: 53_000, currency: 'USD' });
    await page.waitForFunction(
      () => document.querySelector('[data-field="equity"]')?.textContent === '53,000.00 USD',
      undefined,
      { timeout: 8000 },
    );
    await page.close();
  });

  it('turns the connection indicator to reconnecting when the server stops, and back to live', async () => {
    const page = await open('/live');
    const port = Number(new URL(dashboard.url).port);
    await dashboard.close(100);
    await page.waitForSelector('#connection[data-state="reconnecting"]', { timeout: 10_000 });
    dashboard = await start(port);
    await page.waitForSelector('#connection[data-state="live"]', { timeout: 15_000 });
    await page.close();
  });
});
