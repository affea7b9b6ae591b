import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { StateWriter } from '../../src/state/index.js';
import { appOver } from '../helpers/app.js';
import { writePythonDesignDb } from '../helpers/engine-files.js';
import { freshDbPath } from '../helpers/tmp.js';

function demoEngine(path: string) {
  const writer = StateWriter.open(path, { strict: true });
  writer.summary({ cash: 10_000, value: 10_100, currency: 'USD' });
  writer.symbol('EURUSD', {
    price: 1.1,
    position_size: 1000,
    position_price: 1.0,
    sl_price: 1.045,
    tp_price: 1.21,
  });
  writer.symbol('BTCUSD', { price: 65_000, position_size: 0 });
  writer.heartbeat();
  writer.recordTrade({
    symbol: 'EURUSD',
    side: 'long',
    qty: 1000,
    pnl: 25,
    exit_time: Date.now() - 1000,
  });
  writer.recordTrade({
    symbol: 'EURUSD',
    side: 'short',
    qty: 1000,
    pnl: -10,
    exit_time: Date.now() - 500,
  });
  return writer;
}

describe('JSON API', () => {
  it("GET /api/live/status keeps the original design's shape", async () => {
    const path = freshDbPath();
    demoEngine(path).close();
    const { app, pollers } = appOver([{ name: 'main', path }]);
    pollers[0]?.tick();
    const res = await request(app)
      .get('/api/live/status')
      .expect(200)
      .expect('content-type', /json/);
    expect(res.body.summary).toEqual({ cash: 10_000, value: 10_100, currency: 'USD' });
    expect(res.body.positions).toEqual([
      expect.objectContaining({
        symbol: 'EURUSD',
        side: 'Long',
        quantity: 1000,
        entry_price: 1.0,
        current_price: 1.1,
        unrealized_pnl: expect.closeTo(100, 6),
        sl_price: 1.045,
        tp_price: 1.21,
      }),
    ]);
  });

  it('chooses the engine with ?engine=, lists engines, and rejects unknown ones and unknown parameters', async () => {
    const a = freshDbPath('a.db');
    const b = freshDbPath('b.db');
    demoEngine(a).close();
    const wb = StateWriter.open(b);
    wb.summary({ cash: 5 });
    wb.close();
    const { app, pollers } = appOver([
      { name: 'alpha', path: a },
      { name: 'beta', path: b },
    ]);
    for (const p of pollers) p.tick();
    expect((await request(app).get('/api/live/status?engine=beta')).body.summary).toEqual({
      cash: 5,
    });
    expect(
      (await request(app).get('/api/v1/engines')).body.engines.map(
        (e: { name: string; state: string }) => [e.name, e.state],
      ),
    ).toEqual([
      ['alpha', 'live'],
      ['beta', 'live'],
    ]);
    const unknown = await request(app).get('/api/v1/state?engine=gamma').expect(404);
    expect(unknown.body).toEqual({
      error: {
        code: 'unknown_engine',
        message: 'no engine named "gamma"; configured: alpha, beta',
      },
    });
    const typo = await request(app).get('/api/v1/state?engin=alpha').expect(400);
    expect(typo.body.error).toEqual({
      code: 'unknown_parameter',
      message: 'unknown query parameter "engin"; this endpoint takes: engine, at',
    });
    await request(app).get('/api/v1/state?engine=alpha&engine=beta').expect(400);
    expect((await request(app).get('/api/v1/nope').expect(404)).body.error.code).toBe('not_found');
  });

  it("serves trades, today's statistics and the full state", async () => {
    const path = freshDbPath();
    demoEngine(path).close();
    const { app, pollers } = appOver([{ name: 'main', path }]);
    pollers[0]?.tick();
    const stats = await request(app).get('/api/v1/stats/today').expect(200);
    expect(stats.body).toMatchObject({
      total_trades: 2,
      winning_trades: 1,
      losing_trades: 1,
      win_rate: 0.5,
      total_pnl: 15,
      largest_win: 25,
      largest_loss: -10,
    });
    const trades = await request(app).get('/api/v1/trades').expect(200);
    expect(trades.body.trades.map((t: { pnl: number }) => t.pnl)).toEqual([25, -10]);
    const recent = await request(app)
      .get(`/api/v1/trades?since=${Date.now() - 700}`)
      .expect(200);
    expect(recent.body.trades.map((t: { pnl: number }) => t.pnl)).toEqual([-10]);
    await request(app).get('/api/v1/trades?since=yesterday').expect(400);
    const state = await request(app).get('/api/v1/state').expect(200);
    expect(state.body.engine).toMatchObject({ name: 'main', state: 'live', schema_version: 1 });
    expect(state.body.symbols.map((s: { symbol: string }) => s.symbol)).toEqual([
      'BTCUSD',
      'EURUSD',
    ]);
    expect(state.body.keys.map((k: { key: string }) => k.key)).toEqual([
      'chart_BTCUSD',
      'chart_EURUSD',
      'engine',
      'summary',
    ]);
  });

  it('answers a repeated request with the same ETag with 304', async () => {
    const path = freshDbPath();
    demoEngine(path).close();
    const { app, pollers } = appOver([{ name: 'main', path }]);
    pollers[0]?.tick();
    const first = await request(app).get('/api/v1/state').expect(200);
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^W\/"main-\d+-\d+"$/);
    const again = await request(app).get('/api/v1/state').set('If-None-Match', etag);
    // Same snapshot within the same second: 304; across a second boundary the ages moved on.
    expect([200, 304]).toContain(again.status);
    if (again.status === 304) expect(again.text).toBe('');
  });

  it('shows what it can of a Python-design database with bad values, and marks the rest', async () => {
    const path = freshDbPath();
    writePythonDesignDb(
      path,
      { summary: '{"cash": NaN, "value": 5.0}', chart_X: '{"price": 1.5', engine: '"running"' },
      new Date().toISOString(),
    );
    const { app, pollers } = appOver([{ name: 'py', path }]);
    pollers[0]?.tick();
    const state = (await request(app).get('/api/v1/state').expect(200)).body;
    expect(state.summary).toMatchObject({ cash: null, equity: 5 });
    expect(
      state.keys
        .filter((k: { error: string | null }) => k.error)
        .map((k: { key: string }) => k.key),
    ).toEqual(['chart_X', 'engine']);
    expect(state.engine.key_errors).toBe(2);
  });

  it('50 concurrent clients cause no database reads: one read per changed tick', async () => {
    const path = freshDbPath();
    const writer = demoEngine(path);
    const { app, pollers } = appOver([{ name: 'main', path }]);
    const poller = pollers[0];
    if (!poller) throw new Error('no poller');
    poller.tick();
    expect(poller.reads).toBe(1);
    const burst = () =>
      Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          request(app)
            .get(i % 2 ? '/api/live/status' : '/api/v1/state')
            .expect(200),
        ),
      );
    await burst();
    poller.tick(); // nothing committed: not even a read
    await burst();
    expect(poller.reads).toBe(1);
    writer.summary({ cash: 1, value: 2 });
    poller.tick();
    const answers = await burst();
    expect(poller.reads).toBe(2);
    expect(answers.filter((_, i) => i % 2).every((r) => r.body.summary.cash === 1)).toBe(true);
    writer.close();
  });
});

describe('health endpoints', () => {
  it('/healthz is always ok; /readyz lists its checks', async () => {
    const { app } = appOver([{ name: 'main', path: freshDbPath() }]);
    await request(app).get('/healthz').expect(200, 'ok\n');
    const ready = await request(app).get('/readyz').expect(200);
    expect(ready.body).toEqual({
      status: 'ready',
      checks: [{ name: 'config', ok: true }],
      engines: [{ engine: 'main', state: 'waiting', reason: expect.any(String) }],
    });
  });

  it('/health passes for a live engine, warns while waiting, and fails when one is down or unreadable', async () => {
    const live = freshDbPath('live.db');
    const missing = freshDbPath('missing.db');
    demoEngine(live).close();
    const { app, pollers } = appOver([
      { name: 'live', path: live },
      { name: 'later', path: missing },
    ]);
    for (const p of pollers) p.tick();
    const warn = await request(app).get('/health').expect(200);
    expect(warn.body.status).toBe('warn');
    expect(
      warn.body.engines.map((e: { name: string; status: string }) => [e.name, e.status]),
    ).toEqual([
      ['live', 'pass'],
      ['later', 'warn'],
    ]);
    await request(app).get('/health/engine?engine=live').expect(200);
    const waiting = await request(app).get('/health/engine?engine=later').expect(503);
    expect(waiting.body).toMatchObject({
      status: 'fail',
      state: 'waiting',
      error: { code: 'engine_waiting' },
    });
    const w = StateWriter.open(missing);
    w.heartbeat({ status: 'stopped' });
    w.close();
    pollers[1]?.tick();
    const fail = await request(app).get('/health').expect(503);
    expect(fail.body.status).toBe('fail');
  });
});
