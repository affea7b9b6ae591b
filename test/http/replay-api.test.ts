import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { threeMoments } from '../helpers/replay.js';

/** Drops what depends on when the request was made, not on the moment asked for. */
function stateAsOf(body: Record<string, unknown>) {
  const {
    generated_at: _g,
    at: _a,
    engine,
    keys,
    ...rest
  } = body as {
    generated_at: string;
    at?: string;
    engine: Record<string, unknown>;
    keys: Array<Record<string, unknown>>;
  };
  const {
    last_update_age_ms: _l,
    last_change_age_ms: _c,
    snapshot_version: _v,
    heartbeat: _h,
    ...engineRest
  } = engine;
  return {
    ...rest,
    engine: engineRest,
    keys: keys.map(({ age_ms: _age, ...k }) => k),
  };
}

const iso = (ms: number) => new Date(ms).toISOString();

describe('replay API', () => {
  it('GET /api/v1/state?at= answers each moment between writes exactly as the live API did then', async () => {
    const { app, t0, live } = await threeMoments();
    for (const [i, at] of [t0 + 1000, t0 + 2500, t0 + 4500].entries()) {
      const res = await request(app)
        .get(`/api/v1/state?at=${iso(at)}`)
        .expect(200);
      expect(res.body.at).toBe(iso(at));
      expect(stateAsOf(res.body)).toEqual(stateAsOf(live[i] ?? {}));
    }
    // A minute on, with nothing changed since: stale then, as the live page would have said.
    const later = await request(app)
      .get(`/api/v1/state?at=${iso(t0 + 60_000)}`)
      .expect(200);
    expect(later.body.engine.state).toBe('stale');
  });

  it('rebuilds positions with SL/TP, prices, the account and the trades so far', async () => {
    const { app, t0 } = await threeMoments();
    const open = (await request(app).get(`/api/v1/state?at=${iso(t0 + 3999)}`)).body;
    expect(open.positions).toEqual([
      expect.objectContaining({
        symbol: 'EURUSD',
        quantity: 1000,
        entry_price: 1.1,
        current_price: 1.101,
        sl_price: 1.09,
        tp_price: 1.12,
      }),
    ]);
    expect(open.summary).toMatchObject({ equity: 10_001, cash: 10_000 });
    expect(open.recent_trades).toEqual([]);
    const closed = (await request(app).get(`/api/v1/state?at=${iso(t0 + 4000)}`)).body;
    expect(closed.positions).toEqual([]);
    expect(closed.symbols[0]).toMatchObject({ symbol: 'EURUSD', price: 1.12 });
    expect(closed.recent_trades).toEqual([expect.objectContaining({ symbol: 'EURUSD', pnl: 20 })]);
    expect(closed.today.total_trades).toBe(1);
  });

  it("GET /api/live/status?at= answers the seed's shape as of that moment", async () => {
    const { app, t0 } = await threeMoments();
    const res = await request(app)
      .get(`/api/live/status?at=${t0 + 2100}`)
      .expect(200);
    expect(res.body.at).toBe(iso(t0 + 2100));
    expect(res.body.summary).toEqual({ cash: 10_000, value: 10_001, currency: 'USD' });
    expect(res.body.positions).toEqual([
      expect.objectContaining({ symbol: 'EURUSD', sl_price: 1.09, tp_price: 1.12 }),
    ]);
  });

  it('answers 404 naming the recorded window for a moment outside it, 400 for a malformed one', async () => {
    const { app, t0 } = await threeMoments();
    const before = await request(app)
      .get(`/api/v1/state?at=${iso(t0 - 1000)}`)
      .expect(404);
    expect(before.body.error.code).toBe('outside_window');
    expect(before.body.error.message).toContain(`${iso(t0)} to `);
    await request(app)
      .get(`/api/v1/state?at=${iso(Date.now() + 3_600_000)}`)
      .expect(404);
    const bad = await request(app).get('/api/v1/state?at=yesterday-ish').expect(400);
    expect(bad.body.error.message).toMatch(/ISO-8601/);
    await request(app).get('/api/live/status?at=2026-13-45T99:00:00Z').expect(400);
  });

  it('GET /api/v1/replay gives the window and marks; /api/v1/replay/step walks the changes', async () => {
    const { app, t0 } = await threeMoments();
    const res = await request(app).get('/api/v1/replay').expect(200);
    expect(res.body.window.from).toBe(t0);
    expect(res.body.marks.trades).toEqual([t0 + 4000]);
    expect(res.body.marks.states).toEqual([[t0, 'live']]);
    const next = await request(app).get(`/api/v1/replay/step?at=${t0}&dir=next`).expect(200);
    expect(next.body.at).toBe(t0 + 2000);
    const prev = await request(app)
      .get(`/api/v1/replay/step?at=${t0 + 2000}&dir=prev`)
      .expect(200);
    expect(prev.body.at).toBe(t0);
    await request(app).get(`/api/v1/replay/step?at=${t0}&dir=sideways`).expect(400);
  });
});
