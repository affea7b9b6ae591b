import { pino } from 'pino';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { type Dashboard, startDashboard } from '../../src/service/dashboard.js';
import { StateWriter } from '../../src/state/index.js';
import { hasBinary } from '../helpers/binaries.js';
import { launchChromium } from '../helpers/browser.js';
import { threeEngines } from '../helpers/fleet-engines.js';
import { tempDir } from '../helpers/tmp.js';

describe.runIf(hasBinary('chromium'))('/fleet in headless Chromium', () => {
  const dir = tempDir();
  const engines = threeEngines({ dir });
  let dashboard: Dashboard;
  let chromium: Awaited<ReturnType<typeof launchChromium>>;

  beforeAll(async () => {
    const { config } = loadConfig(
      [
        ...engines.flatMap((e) => ['--db', `${e.name}=${e.path}`]),
        ...['--port', '0', '--poll-ms', '250', '--stale-after', '60', '--data-dir', dir],
        ...['--tz', 'UTC'],
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

  async function open(width: number): Promise<Page> {
    const page = await chromium.browser.newPage();
    await page.setViewportSize({ width, height: 900 });
    await page.goto(`${dashboard.url}/`);
    await page.waitForSelector('#connection[data-state="live"]', { timeout: 15_000 });
    return page;
  }

  const cards = (page: Page) =>
    page.$$eval('.fleet-card', (els) =>
      els.map((el) => ({
        name: el.querySelector('.fleet-name')?.textContent?.trim(),
        badge: el.querySelector('.badge')?.textContent?.replace('●', '').trim(),
        left: Math.round(el.getBoundingClientRect().left),
        top: Math.round(el.getBoundingClientRect().top),
        right: Math.round(el.getBoundingClientRect().right),
      })),
    );

  for (const [width, layout] of [
    [1366, 'side by side'],
    [360, 'one above the other'],
  ] as const) {
    it(`at ${width} px shows the down and stale engines before the live one, ${layout}, nothing wider than the screen`, async () => {
      const page = await open(width);
      expect(new URL(page.url()).pathname).toBe('/fleet');
      const shown = await cards(page);
      expect(shown.map((c) => `${c.name}:${c.badge}`)).toEqual([
        'charlie:Down',
        'bravo:Stale',
        'alpha:Live',
      ]);
      const [first, second] = shown;
      if (width === 360) expect(second?.top).toBeGreaterThan(first?.top ?? 0);
      else expect(second?.top).toBe(first?.top);
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      expect(overflow).toBe(0);
      for (const c of shown) expect(c.right).toBeLessThanOrEqual(width);
      const alpha = page.locator('.fleet-card[data-engine="alpha"]');
      await expect.poll(() => alpha.innerText()).toMatch(/10,100\.00 USD/);
      expect(await alpha.innerText()).toMatch(/1 ERROR/);
      expect(await page.locator('.fleet-totals').innerText()).toMatch(/12,100\.00 USD/);
      expect(await page.title()).toBe('⚠ 2 NOT LIVE · fleet · tradewatch');
      await page.close();
    });
  }

  it('follows a change of any engine without a reload, and links to its pages', async () => {
    const page = await open(1366);
    const bravo = page.locator('.fleet-card[data-engine="bravo"]');
    const writer = StateWriter.open(engines[1]?.path ?? '', { strict: true });
    writer.summary({ cash: 5000, value: 6000, currency: 'EUR', daily_pnl: 12 });
    writer.heartbeat({ mode: 'paper' });
    writer.close();
    // bravo wrote just now: it turns live, moves below charlie, and shows its new equity.
    await expect
      .poll(() => bravo.innerText(), { timeout: 15_000 })
      .toMatch(/6,000\.00 EUR[\s\S]*\+12\.00 EUR/);
    await expect
      .poll(async () => (await cards(page)).map((c) => c.badge))
      .toEqual(['Down', 'Live', 'Live']);
    expect(await page.title()).toBe('⚠ 1 NOT LIVE · fleet · tradewatch');
    await page.locator('.fleet-card[data-engine="alpha"] a.fleet-name').click();
    await page.waitForURL(/\/live\?engine=alpha$/);
    await page.close();
  });
});
