import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { hasBinary } from '../helpers/binaries.js';
import { chromiumPerSuite } from '../helpers/browser.js';
import { type RunningCli, serveEngine } from '../helpers/cli.js';
import { pageState, settle } from '../helpers/page-state.js';
import { scriptedWriter } from '../helpers/scripted-writer.js';
import { freshDbPath } from '../helpers/tmp.js';

// STYLE.md 16: a page kept open through a flip, a flat, new trades and a stale spell shows
// exactly what the same URL shows when loaded afresh: panel text and Chart.js data alike,
// through Server-Sent Events and through the polling fallback. Real dashboard process, real
// engine process.
const STALE_AFTER_S = 2;
const SETTLE_MS = 20_000; // generous: the polling fallback asks every 2 s and CI is busy

const position = (
  size: number,
  entry: number,
  sl: number | null,
  tp: number | null,
  price: number,
) => ({
  price,
  position_size: size,
  position_price: size ? entry : null,
  sl_price: sl,
  tp_price: tp,
  rsi14: 40 + (price % 1) * 10,
});

const trade = (side: string, entry: number, exit: number, pnl: number, minutesAgo: number) => ({
  symbol: 'EURUSD',
  side,
  qty: 100_000,
  entry_price: entry,
  exit_price: exit,
  entry_time: new Date(Date.now() - minutesAgo * 60_000).toISOString(),
  pnl,
});

describe.runIf(hasBinary('chromium'))('an open page equals a freshly loaded one', () => {
  const { open } = chromiumPerSuite();

  async function expectSameAsFresh(page: Page, url: string, what: string) {
    const { actual, wanted } = await settle(
      () => pageState(page),
      async () => {
        const fresh = await open(url, false);
        try {
          return await pageState(fresh);
        } finally {
          await fresh.close();
        }
      },
      SETTLE_MS,
    );
    expect(actual, what).toEqual(wanted);
  }

  it('through a flip, a flat, new trades and a stale spell, over SSE and over polling', async () => {
    const db = freshDbPath('engine.db');
    const engine = scriptedWriter(db);
    await engine.call('summary', { cash: 100_000, value: 100_120, currency: 'USD' });
    await engine.call('symbol', 'EURUSD', position(100_000, 1.084, 1.08, 1.09, 1.0852));
    await engine.call('heartbeat', { status: 'running' });
    await engine.call('recordTrade', trade('long', 1.081, 1.082, 100, 30));
    const cli: RunningCli = await serveEngine(db, [
      ...['--poll-ms', '200', '--stale-after', `${STALE_AFTER_S}s`, '--tz', 'UTC'],
    ]);
    const symbolUrl = `${cli.url}/live/symbol/EURUSD`;
    const liveUrl = `${cli.url}/live`;
    const pages = [
      { url: symbolUrl, page: await open(symbolUrl, false), how: 'symbol page over SSE' },
      { url: symbolUrl, page: await open(symbolUrl, true), how: 'symbol page polling' },
      { url: liveUrl, page: await open(liveUrl, false), how: '/live over SSE' },
      { url: liveUrl, page: await open(liveUrl, true), how: '/live polling' },
    ];
    const step = async (calls: Array<[string, ...unknown[]]>) => {
      for (const [method, ...args] of calls) await engine.call(method, ...args);
      await engine.call('heartbeat', { status: 'running' });
      // History samples a series at most once a second: spacing steps lets each one be drawn.
      await new Promise((r) => setTimeout(r, 1200));
    };

    // The long closes and a short opens: SL above the price, TP below.
    await step([
      ['recordTrade', trade('long', 1.084, 1.0861, 210, 5)],
      ['symbol', 'EURUSD', position(-100_000, 1.0861, 1.0901, 1.0801, 1.0861)],
      ['summary', { cash: 100_310, value: 100_310, currency: 'USD' }],
    ]);
    await step([['symbol', 'EURUSD', position(-100_000, 1.0861, 1.0901, 1.0801, 1.0849)]]);
    // Flat: the lines go.
    await step([
      ['recordTrade', trade('short', 1.0861, 1.0849, 120, 1)],
      ['symbol', 'EURUSD', position(0, 0, null, null, 1.0847)],
      ['summary', { cash: 100_430, value: 100_430, currency: 'USD' }],
    ]);
    for (const { page, url, how } of pages) await expectSameAsFresh(page, url, `${how}, flat`);
    const symbolChart = await pageState(pages[1]?.page as Page);
    expect(symbolChart.charts['chart-price']).toMatchObject({ annotations: {} });

    // A stale spell: every open page says so, then recovers when the engine writes again.
    for (const { page } of pages)
      await page.waitForSelector('#panel-header .badge[data-state="stale"]', {
        timeout: SETTLE_MS,
      });
    await step([
      ['symbol', 'EURUSD', position(100_000, 1.0847, 1.0807, 1.0907, 1.0848)],
      ['recordTrade', trade('short', 1.09, 1.0895, 50, 3)],
    ]);
    for (const { page, url, how } of pages) await expectSameAsFresh(page, url, `${how}, after all`);

    const live = await pageState(pages[3]?.page as Page);
    // The daily bar is the journal's total, as the panel beside it says.
    const daily = live.charts['chart-daily'] as { datasets: Record<string, number[]> };
    expect(daily.datasets['P&L']?.reduce((a, b) => a + b, 0)).toBeCloseTo(480, 2);
    expect(live.panels.performance).toContain('+480.00 USD');
    const price = (await pageState(pages[1]?.page as Page)).charts['chart-price'] as {
      annotations: Record<string, number>;
      datasets: Record<string, unknown[]>;
    };
    expect(price.annotations).toEqual({ entry: 1.0847, sl: 1.0807, tp: 1.0907 });
    expect(price.datasets.trades?.length).toBe(8); // four trades, an entry and an exit marker each
    for (const { page } of pages) await page.close();
    await cli.stop();
  }, 180_000);
});
