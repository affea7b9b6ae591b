import { describe, expect, it } from 'vitest';
import { hasBinary } from '../helpers/binaries.js';
import { chromiumPerSuite } from '../helpers/browser.js';
import { serveEngine } from '../helpers/cli.js';
import { scriptedWriter } from '../helpers/scripted-writer.js';
import { freshDbPath } from '../helpers/tmp.js';

// Issue 10, items 3 and 4, end to end: a real dashboard process, a real engine process, Chromium.
const POLL_MS = 250;

async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (ok(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The fields these tests read from /api/v1/monitoring/alerts, /readyz and /health/engine. */
interface Answer {
  count: number;
  alerts: Array<{ subject: string; rule: string }>;
  clock_warnings?: unknown[];
  state?: string;
}
const json = async (url: string) => (await (await fetch(url)).json()) as Answer;

describe.runIf(hasBinary('chromium'))('the screen tells the truth', () => {
  const { open } = chromiumPerSuite();

  it('labels a JPY-quoted P&L in JPY, keeps it out of the USD totals and fires no USD alert for it; a rate converts it', async () => {
    const db = freshDbPath('engine.db');
    const engine = scriptedWriter(db);
    await engine.call('summary', { cash: 100_000, value: 99_900, currency: 'USD' });
    // A 1.00 fall on 100,000 USDJPY is 100,000 JPY (about 680 USD), not 100,000 USD.
    await engine.call('symbol', 'USDJPY', {
      price: 146,
      position_size: 100_000,
      position_price: 147,
      quote_currency: 'JPY',
    });
    await engine.call('symbol', 'EURUSD', {
      price: 1.083,
      position_size: 100_000,
      position_price: 1.084,
    });
    await engine.call('heartbeat', { status: 'running' });
    const cli = await serveEngine(db, [
      '--poll-ms',
      String(POLL_MS),
      '--alert',
      'position-loss=50',
      '--alert',
      'position-loss.clear=40',
    ]);
    const page = await open(`${cli.url}/live`);
    const row = page.locator('#panel-positions tr[data-symbol="USDJPY"]');
    expect(await row.textContent()).toContain('−100,000.00 JPY');
    expect(await row.textContent()).toContain('not in totals');
    // Unrealised is EURUSD's −100 USD alone.
    expect(await page.textContent('#panel-account')).toContain('−100.00 USD');
    const alerts = await until(
      () => json(`${cli.url}/api/v1/monitoring/alerts?state=active`),
      (a) => a.count > 0,
      10_000,
    );
    expect(alerts.alerts.map((x) => x.subject)).toEqual(['EURUSD']);

    await engine.call('symbol', 'USDJPY', {
      price: 146,
      position_size: 100_000,
      position_price: 147,
      quote_currency: 'JPY',
      quote_to_account_rate: 1 / 146,
    });
    await page.waitForFunction(
      () =>
        document
          .querySelector('#panel-positions tr[data-symbol="USDJPY"]')
          ?.textContent?.includes('−684.93 USD'),
      undefined,
      { timeout: 10_000 },
    );
    const converted = await until(
      () => json(`${cli.url}/api/v1/monitoring/alerts?state=active`),
      (a) => a.count > 1,
      10_000,
    );
    expect(converted.alerts.map((x) => x.subject).sort()).toEqual(['EURUSD', 'USDJPY']);
    await page.close();
    await cli.stop();
  }, 90_000);

  it('calls an engine with future timestamps stale within stale-after plus two polls of its last change, and warns about the clock', async () => {
    const db = freshDbPath('engine.db');
    // Naive local times of Tokyo, read by a dashboard told the engine is on UTC: 9 h ahead.
    const engine = scriptedWriter(db, { fixture: 'python-engine.ts', args: ['Asia/Tokyo'] });
    await engine.call('put', 'summary', { cash: 1000, value: 1000, currency: 'USD' });
    await engine.call('put', 'engine', { status: 'running' });
    const staleAfterMs = 2000;
    const cli = await serveEngine(db, [
      ...['--poll-ms', String(POLL_MS), '--stale-after', '2s', '--tz', 'UTC'],
    ]);
    await engine.call('put', 'engine', { status: 'running', tick: 1 }); // seen by the dashboard
    const page = await open(`${cli.url}/live`);
    expect(await page.textContent('#panel-header')).toMatch(
      /Clock warning: the engine's timestamps are 9 h ahead/,
    );
    const ready = await json(`${cli.url}/readyz`);
    expect(ready.clock_warnings).toEqual([
      expect.objectContaining({ engine: 'main', warning: expect.stringMatching(/9 h ahead/) }),
    ]);
    const clockAlert = await until(
      () => json(`${cli.url}/api/v1/monitoring/alerts?state=active`),
      (a) => a.alerts.some((x) => x.rule === 'clock'),
      10_000,
    );
    expect(clockAlert.alerts.map((x) => x.rule)).toContain('clock');

    // The engine writes once more, then goes silent.
    await engine.call('put', 'engine', { status: 'running', tick: 2 });
    const lastWrite = Date.now();
    const health = await until(
      () => json(`${cli.url}/health/engine`),
      (h) => h.state === 'stale',
      staleAfterMs + 10_000,
    );
    const tookMs = Date.now() - lastWrite;
    expect(health.state).toBe('stale');
    // Not a speed measurement: the bound the issue sets, with 500 ms for this test's own polling.
    expect(tookMs).toBeLessThan(staleAfterMs + 2 * POLL_MS + 500);
    await page.waitForSelector('#panel-header .badge[data-state="stale"]', { timeout: 10_000 });
    expect(await page.textContent('#panel-header')).toMatch(
      /no change seen since \d\d:\d\d:\d\d \(stale after 2 s\)/,
    );
    await page.close();
    await cli.stop();
  }, 90_000);
});
