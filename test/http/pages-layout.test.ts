import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { StateWriter } from '../../src/state/index.js';
import { pageMeta } from '../../src/web/live/sse.js';
import { appOver } from '../helpers/app.js';
import { freshDbPath } from '../helpers/tmp.js';

describe('page edge cases', () => {
  it('lays out an engine with zero symbols and no summary', async () => {
    const path = freshDbPath();
    const writer = StateWriter.open(path);
    writer.heartbeat();
    writer.close();
    const { app, pollers } = appOver([{ name: 'bare', path }]);
    pollers[0]?.tick();
    const res = await request(app).get('/live').expect(200);
    expect(res.text).toContain('No open positions.');
    expect(res.text).toContain('No account summary yet');
    expect(res.text).not.toMatch(/undefined|NaN/);
  });

  it('lays out 2,000 symbols', async () => {
    const path = freshDbPath();
    const writer = StateWriter.open(path);
    writer.updateMany(
      Array.from(
        { length: 2000 },
        (_, i) =>
          [
            `chart_SYM${i}`,
            { price: 100 + i / 7, position_size: i % 10 === 0 ? 1 : 0, rsi14: i % 100 },
          ] as const,
      ),
    );
    writer.heartbeat();
    writer.close();
    const { app, pollers } = appOver([{ name: 'big', path }]);
    pollers[0]?.tick();
    const res = await request(app).get('/live').expect(200);
    // 200 positions, and the first 200 of the 1,800 others: the rest are counted, not listed.
    expect(res.text.match(/<tr data-symbol=/g)).toHaveLength(400);
    expect(res.text).toContain('1,600 more not listed here');
    expect(res.text).not.toMatch(/undefined|NaN/);
  });

  it('shows an engine switcher when several engines are configured', async () => {
    const a = freshDbPath('a.db');
    const b = freshDbPath('b.db');
    for (const path of [a, b]) {
      const w = StateWriter.open(path);
      w.heartbeat();
      w.close();
    }
    const { app, pollers } = appOver([
      { name: 'alpha', path: a },
      { name: 'beta', path: b },
    ]);
    for (const p of pollers) p.tick();
    const res = await request(app).get('/live?engine=beta').expect(200);
    expect(res.text).toContain('<nav class="switcher" aria-label="Engines">');
    expect(res.text).toMatch(/<a href="\?engine=beta" aria-current="page">beta<\/a>/);
    expect(res.text).toContain('<h1 class="engine-name">beta</h1>');
  });

  it('serves the history API and rejects a missing series', async () => {
    const path = freshDbPath();
    const writer = StateWriter.open(path);
    writer.summary({ value: 123 });
    writer.close();
    const { app, pollers } = appOver([{ name: 'main', path }]);
    pollers[0]?.tick();
    const res = await request(app).get('/api/v1/history?series=equity').expect(200);
    expect(res.body).toMatchObject({
      engine: 'main',
      series: 'equity',
      count: 1,
      points: [[expect.any(Number), 123]],
    });
    const missing = await request(app).get('/api/v1/history').expect(400);
    expect(missing.body.error.message).toMatch(
      /series is required; recorded: cash|series is required; recorded: equity/,
    );
  });

  it('puts the position count in the title and a warning when the engine is not live', () => {
    const base = { engine: 'main', positions: [{}, {}], state: 'live' } as never;
    const badges = { alerts: 1, logErrors: 3 };
    expect(pageMeta(base, 'live', null, badges)).toEqual({
      title: '(2) main · tradewatch',
      state: 'live',
      positions: 2,
      alerts: 1,
      logErrors: 3,
    });
    const stale = { engine: 'main', positions: [], state: 'stale' } as never;
    expect(pageMeta(stale, 'symbol', 'EURUSD', badges).title).toBe('⚠ STALE · EURUSD · tradewatch');
  });

  it('draws the favicon for the state and count, and bounds its input', async () => {
    const { app } = appOver([{ name: 'main', path: freshDbPath() }]);
    const svg = async (query: string) => {
      const res = await request(app)
        .get(`/favicon.svg?${query}`)
        .buffer(true)
        .parse((r, done) => {
          let text = '';
          r.on('data', (chunk: Buffer) => {
            text += chunk;
          });
          r.on('end', () => done(null, text));
        });
      expect(res.headers['content-type']).toMatch(/image\/svg\+xml/);
      return res.body as string;
    };
    expect(await svg('state=live&n=3')).toContain('>3</text>');
    expect(await svg('state=stale&n=3')).toContain('>!</text>');
    const hostile = await svg('state=%3Cscript%3E&n=1e9');
    expect(hostile).not.toContain('<script');
    expect(hostile).toContain('>!</text>');
  });
});
