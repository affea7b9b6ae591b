import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { StateWriter } from '../../src/state/index.js';
import { appOver } from '../helpers/app.js';
import { freshDbPath } from '../helpers/tmp.js';

/** Spot and perpetual of one pair (CCXT names), and a symbol whose name extends another's. */
function engine() {
  const path = freshDbPath();
  const writer = StateWriter.open(path, { strict: true });
  writer.summary({ equity: 1000, currency: 'USD' });
  writer.symbol('BTC/USDT', { price: 100, rsi14: 30, ema20: 99 });
  writer.symbol('BTC/USDT:USDT', { price: 101, rsi14: 70, funding: 0.01 });
  writer.symbol('BTCUSD', { price: 102 });
  writer.close();
  const { app, pollers, history } = appOver([{ name: 'main', path }]);
  pollers[0]?.tick();
  return { app, history };
}

async function chartsOf(app: ReturnType<typeof engine>['app'], symbol: string) {
  const page = await request(app)
    .get(`/live/symbol/${encodeURIComponent(symbol)}`)
    .expect(200);
  const json = /<script type="application\/json" id="chart-data">(.*?)<\/script>/s.exec(page.text);
  return { series: Object.keys(JSON.parse(json?.[1] ?? 'null').series).sort(), html: page.text };
}

describe('chart series of symbols with ":" in their names', () => {
  it("'BTC/USDT' and 'BTC/USDT:USDT' each chart only their own price and indicators", async () => {
    const { app } = engine();
    const spot = await chartsOf(app, 'BTC/USDT');
    expect(spot.series).toEqual(['ind:BTC/USDT:ema20', 'ind:BTC/USDT:rsi14', 'price:BTC/USDT']);
    const perp = await chartsOf(app, 'BTC/USDT:USDT');
    expect(perp.series).toEqual([
      'ind:BTC/USDT%3AUSDT:funding',
      'ind:BTC/USDT%3AUSDT:rsi14',
      'price:BTC/USDT%3AUSDT',
    ]);
    // The page tells charts.js the same spelling, so live pushes land on the same charts.
    expect(perp.html).toContain('data-series="BTC/USDT%3AUSDT"');
    expect(perp.html).toContain('data-rsi="BTC/USDT%3AUSDT"');
  });

  it('answers 404 for /live/symbol/BTC when only BTCUSD (and BTC/...) exist, also from history', async () => {
    const { app, history } = engine();
    expect(history.seriesNames('main', 'price:BTC').length).toBeGreaterThan(0);
    await request(app)
      .get('/live/symbol/BTC')
      .expect(404, /unknown_symbol|no symbol/);
    await request(app).get('/live/symbol/BTCUSD').expect(200);
  });

  it('keeps the plain series names of symbols without ":" or "%" (history recorded before stays readable)', async () => {
    const { history } = engine();
    expect(history.seriesNames('main', 'price:')).toEqual([
      'price:BTC/USDT',
      'price:BTC/USDT%3AUSDT',
      'price:BTCUSD',
    ]);
  });
});
