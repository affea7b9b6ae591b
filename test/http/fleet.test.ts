import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { StateWriter } from '../../src/state/index.js';
import { appOver } from '../helpers/app.js';
import { threeEngines } from '../helpers/fleet-engines.js';

function fleetApp(mode?: string) {
  const over = appOver(
    threeEngines({ hostileMode: mode }).map((e) => ({ ...e, staleAfterMs: 60_000 })),
  );
  for (const p of over.pollers) p.tick();
  return over;
}

describe('/api/v1/fleet', () => {
  it('lists every engine with its state, money and positions, worst state first, and totals per currency', async () => {
    const { app } = fleetApp();
    const res = await request(app).get('/api/v1/fleet').expect(200).expect('content-type', /json/);
    expect(res.body.engines.map((e: { name: string }) => e.name)).toEqual([
      'charlie',
      'bravo',
      'alpha',
    ]);
    const [charlie, bravo, alpha] = res.body.engines;
    expect(Object.keys(alpha).sort()).toEqual(
      [
        'alerts_firing',
        'currency',
        'equity',
        'last_update',
        'mode',
        'name',
        'open_positions',
        'state',
        'today_pnl',
      ].sort(),
    );
    expect(alpha).toMatchObject({
      state: 'live',
      mode: 'live',
      equity: 10_100,
      currency: 'USD',
      open_positions: 1,
      alerts_firing: 1,
    });
    // 25 closed today + 100 unrealised on the open EURUSD position.
    expect(alpha.today_pnl).toBeCloseTo(125, 6);
    expect(Date.parse(alpha.last_update)).toBeGreaterThan(Date.now() - 60_000);
    expect(bravo).toMatchObject({
      state: 'stale',
      mode: 'paper',
      currency: 'EUR',
      today_pnl: -42.25,
    });
    expect(charlie).toMatchObject({
      state: 'down',
      equity: 2000,
      currency: 'USD',
      open_positions: 0,
    });
    expect(res.body.totals).toEqual([
      { currency: 'EUR', equity: 5200.5, today_pnl: -42.25 },
      { currency: 'USD', equity: 12_100, today_pnl: expect.closeTo(125, 6) },
    ]);
  });

  it('counts the firing alerts about each engine', async () => {
    const { app } = fleetApp();
    const res = await request(app).get('/api/v1/fleet').expect(200);
    const alpha = res.body.engines.find((e: { name: string }) => e.name === 'alpha');
    expect(alpha.alerts_firing).toBe(1);
    const page = await request(app).get('/fleet?sort=alerts').expect(200);
    expect(page.text).toMatch(/data-engine="alpha"[\s\S]*?1 ERROR<\/a>/);
    expect([...page.text.matchAll(/data-engine="([^"]+)"/g)][0]?.[1]).toBe('alpha');
  });

  it('rejects an unknown query parameter', async () => {
    const { app } = fleetApp();
    const res = await request(app)
      .get('/api/v1/fleet?engine=alpha')
      .set('accept', 'application/json')
      .expect(400);
    expect(res.body.error.message).toContain('unknown query parameter "engine"');
  });
});

describe('/fleet', () => {
  it('is the home page when several engines are watched', async () => {
    const { app } = fleetApp();
    await request(app).get('/').expect(302).expect('location', '/fleet');
  });

  it('shows one card per engine, the stopped and stale ones first, with state, mode, money and links', async () => {
    const { app } = fleetApp();
    const res = await request(app).get('/fleet').expect(200).expect('content-type', /html/);
    const cards = [...res.text.matchAll(/data-engine="([^"]+)" data-state="([^"]+)"/g)].map(
      (m) => `${m[1]}:${m[2]}`,
    );
    expect(cards).toEqual(['charlie:down', 'bravo:stale', 'alpha:live']);
    expect(res.text).toContain('10,100.00 USD');
    expect(res.text).toContain('−42.25 EUR');
    expect(res.text).toContain('href="/live?engine=alpha"');
    expect(res.text).toContain('12,100.00 USD');
    expect(res.text).toMatch(/⚠ 2 NOT LIVE · fleet · tradewatch/);
    expect(res.text).toContain('data-page="fleet"');
    expect(res.text).toContain('data-query="engine=alpha&amp;symbol=state"');
  });

  it('sorts by name, equity, P&L or alerts on request and refuses an unknown order', async () => {
    const { app } = fleetApp();
    const order = async (sort: string) => {
      const res = await request(app).get(`/fleet?sort=${sort}`).expect(200);
      return [...res.text.matchAll(/data-engine="([^"]+)"/g)].map((m) => m[1]);
    };
    expect(await order('name')).toEqual(['alpha', 'bravo', 'charlie']);
    expect(await order('equity')).toEqual(['alpha', 'bravo', 'charlie']);
    expect(await order('pnl')).toEqual(['alpha', 'charlie', 'bravo']);
    const bad = await request(app).get('/fleet?sort=<script>').set('accept', 'application/json');
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('state, name, equity, pnl, alerts');
  });

  it('escapes engine-supplied text', async () => {
    const { app } = fleetApp('<script>alert(1)</script>');
    const res = await request(app).get('/fleet').expect(200);
    expect(res.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(res.text).not.toContain('<script>alert(1)');
  });

  it('polls its panel with an ETag that changes when any engine changes', async () => {
    const { app, pollers } = fleetApp();
    const url = '/live/panel/fleet/fleet?engine=alpha&symbol=state';
    const first = await request(app).get(url).expect(200);
    const etag = first.headers.etag as string;
    await request(app).get(url).set('if-none-match', etag).expect(304);
    pollers[2]?.tick(); // nothing changed
    await request(app).get(url).set('if-none-match', etag).expect(304);
    const writer = StateWriter.open(pollers[0]?.options.path ?? '', { strict: true });
    writer.summary({ cash: 9_000, value: 11_000, currency: 'USD' });
    writer.close();
    pollers[0]?.tick();
    const changed = await request(app).get(url).set('if-none-match', etag).expect(200);
    expect(changed.text).toContain('11,000.00 USD');
    expect(changed.headers.etag).not.toBe(etag);
  });

  it('renders its panel again when an engine or an engine alert changes, not for host alerts', async () => {
    const { app, live, monitoring } = fleetApp();
    const url = '/live/panel/fleet/fleet?engine=alpha&symbol=state';
    await request(app).get(url).expect(200);
    const renders = live.renderer.renders;
    const hostScope = { engine: null, rules: ['disk'] as const };
    monitoring.alerts.observe(hostScope, [
      { rule: 'disk', engine: null, subject: '/', value: 95, message: 'disk / at 95 %' },
    ]);
    await request(app).get(url).expect(200);
    expect(live.renderer.renders).toBe(renders);
    monitoring.alerts.observe({ engine: 'bravo', rules: ['engine-alert'] }, [
      {
        rule: 'engine-alert',
        engine: 'bravo',
        subject: 'feed',
        value: null,
        message: 'feed lag',
        level: 'WARNING',
      },
    ]);
    const after = await request(app).get(url).expect(200);
    expect(live.renderer.renders).toBe(renders + 1);
    expect(after.text).toMatch(/data-engine="bravo"[\s\S]*?1 WARNING<\/a>/);
  });
});
