import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { StateWriter } from '../../src/state/index.js';
import { appOver } from '../helpers/app.js';
import { freshDbPath } from '../helpers/tmp.js';

/** An engine with one open EURUSD long opened two hours ago and two closed trades. */
function engine() {
  const path = freshDbPath();
  const writer = StateWriter.open(path, { strict: true });
  writer.summary({ cash: -2099.9999999986585, value: 10_000, currency: 'USD' });
  writer.symbol('EURUSD', {
    price: 1.1,
    position_size: 1000,
    position_price: 1.0,
    sl_price: 0.99,
    tp_price: 1.155,
    position_opened_at: new Date(Date.now() - 2 * 3_600_000 - 5 * 60_000).toISOString(),
    contract_size: 10,
    quote_currency: 'USD',
  });
  writer.heartbeat();
  writer.recordTrade({ symbol: 'EURUSD', side: 'long', pnl: 0.1, exit_reason: 'stop-loss' });
  writer.recordTrade({ symbol: 'EURUSD', side: 'short', pnl: 0.2, exit_reason: 'take-profit' });
  writer.close();
  const { app, pollers } = appOver([{ name: 'main', path }]);
  pollers[0]?.tick();
  return app;
}

describe('what a trader sees at a glance', () => {
  it('shows P&L in % as well as amount, the distance to SL and TP, and how long a position is open', async () => {
    const page = await request(engine()).get('/live').expect(200);
    const row = /<tr data-symbol="EURUSD">[\s\S]*?<\/tr>/.exec(page.text)?.[0] ?? '';
    const cell = (field: string) =>
      new RegExp(`data-field="${field}">(.*?)</td>`, 's').exec(row)?.[1] ?? '';
    expect(cell('pnl')).toMatch(/▲.*\+[\d,.]+ USD/s);
    expect(cell('pnl-pct')).toContain('+10.00 %'); // the price moved 10 % in the position's favour
    expect(cell('sl-distance')).toContain('+10.00 %'); // (1.1 − 0.99) / 1.1
    expect(cell('tp-distance')).toContain('+5.00 %'); // (1.155 − 1.1) / 1.1
    expect(row).toContain('2 h 05 min');
    expect(row).toContain('11K USD'); // notional: 1000 × 1.1 × contract size 10
    // Notional and equity are both USD: leverage 11,000 ÷ 10,000.
    expect(page.text).toMatch(/data-field="leverage"[^>]*>1\.10×</);
  });

  it('lists exit reasons and realised P&L for today, this week and this month', async () => {
    const page = await request(engine()).get('/live').expect(200);
    expect(page.text).toContain('stop-loss');
    expect(page.text).toContain('take-profit');
    for (const field of ['pnl-day', 'pnl-week', 'pnl-month'])
      expect(page.text).toMatch(new RegExp(`data-field="${field}">.*\\+0\\.30 USD`));
  });

  it('answers the API without float noise, with the new position and trade fields', async () => {
    const app = engine();
    const state = await request(app).get('/api/v1/state').expect(200);
    expect(state.body.summary.cash).toBe(-2100);
    expect(state.body.positions[0]).toMatchObject({
      pnl_pct: 10,
      contract_size: 10,
      quote_currency: 'USD',
      notional: 11_000,
      notional_currency: 'USD',
    });
    expect(state.body.positions[0].opened_at).toMatch(/^\d{4}-\d\d-\d\dT.*Z$/);
    const trades = await request(app).get('/api/v1/trades').expect(200);
    expect(trades.body.stats.total_pnl).toBe(0.3); // 0.1 + 0.2 = 0.30000000000000004 in floats
    expect(trades.body.trades.map((t: { exit_reason: string }) => t.exit_reason)).toEqual([
      'stop-loss',
      'take-profit',
    ]);
  });

  it('gives browsers an HTML error page and API clients JSON, for unknown paths and symbols', async () => {
    const app = engine();
    for (const path of ['/nope', '/live/symbol/NOPE']) {
      const html = await request(app).get(path).set('Accept', 'text/html,*/*;q=0.8').expect(404);
      expect(html.type).toBe('text/html');
      expect(html.text).toContain('<title>Not found · tradewatch</title>');
      expect(html.text).toContain('href="/live"');
      const json = await request(app).get(path).expect(404);
      expect(json.type).toBe('application/json');
      expect(json.body.error.code).toMatch(/not_found|unknown_symbol/);
    }
    const hostile = await request(app)
      .get('/live/symbol/%3Cscript%3Ex%3C%2Fscript%3E')
      .set('Accept', 'text/html')
      .expect(404);
    expect(hostile.text).not.toContain('<script>x');
  });

  it('gives /system, /alerts and /logs tab titles of their own', async () => {
    const app = engine();
    const titles = await Promise.all(
      ['/system', '/alerts', '/logs'].map(async (path) => {
        const res = await request(app).get(path).expect(200);
        return /<title>(.*)<\/title>/.exec(res.text)?.[1];
      }),
    );
    expect(titles).toEqual([
      '(1) System · tradewatch',
      '(1) Alerts · tradewatch',
      '(1) Logs · tradewatch',
    ]);
  });
});
