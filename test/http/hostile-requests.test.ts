import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { HOST_OWNER } from '../../src/contract/series.js';
import { appOver } from '../helpers/app.js';
import { smallEngineDb } from '../helpers/small-engine.js';

function served(flags: string[] = []) {
  const over = appOver([{ name: 'main', path: smallEngineDb() }], {}, flags);
  over.pollers[0]?.tick();
  return over;
}

describe('hostile request paths and parameters', () => {
  it('answers 404 for /vendor/__proto__ and /vendor/constructor, not a 500 with a stack', async () => {
    const { app } = served();
    for (const name of ['__proto__', 'constructor', 'toString', 'hasOwnProperty'])
      await request(app).get(`/vendor/${name}`).expect(404);
    await request(app).get('/vendor/htmx.min.js').expect(200);
  });

  it('answers 400 for durations and times no clock can hold (since=200000000d)', async () => {
    const { app, history } = served();
    history.recordSeries(HOST_OWNER, [['cpu_percent', 5]], Date.now());
    for (const since of ['200000000d', '99999999999999999999h', '1e400', '-5'])
      for (const path of [
        '/api/v1/trades',
        '/api/v1/history?series=equity&',
        '/api/metrics/history?metric=cpu_percent&',
      ]) {
        const url = `${path}${path.includes('?') ? '' : '?'}since=${encodeURIComponent(since)}`;
        const res = await request(app).get(url);
        expect(res.status, url).toBe(400);
        expect(res.body.error.code, url).toBe('bad_parameter');
      }
    await request(app).get('/api/v1/trades?since=1h').expect(200);
  });
});

describe('/metrics under a scan of random paths', () => {
  it('labels every unmatched request with one route value, whatever the path or status', async () => {
    const { app } = served();
    for (let i = 0; i < 20; i++) await request(app).get(`/random-${i}-${Math.random()}`);
    await request(app).get('/static/css/app.css').expect(200);
    const text = (await request(app).get('/metrics').expect(200)).text;
    const routes = new Set(
      [
        ...text.matchAll(/tradewatch_http_request_duration_seconds_count\{[^}]*route="([^"]*)"/g),
      ].map((m) => m[1]),
    );
    expect([...routes].filter((r) => r?.startsWith('/random'))).toEqual([]);
    expect(routes).toContain('unmatched');
    expect(routes).toContain('/static/*');
  });

  it('labels 401 answers to random paths on a secured dashboard as unmatched too', async () => {
    const { app } = served(['--host', '0.0.0.0', '--auth-token', 'share-token-0123456789abcdef']);
    for (let i = 0; i < 5; i++) await request(app).get(`/scan-${i}`).expect(401);
    const text = (
      await request(app)
        .get('/metrics')
        .set('authorization', 'Bearer share-token-0123456789abcdef')
        .expect(200)
    ).text;
    expect(text).toContain('route="unmatched"');
    expect(text).not.toContain('/scan-');
  });

  it('has the notification attempt counters at 0 before the first event, so a first failure is an increase', async () => {
    const { app } = served([
      '--notify-webhook',
      'http://127.0.0.1:9/hook',
      '--notify-slack',
      'http://127.0.0.1:9/slack',
    ]);
    const text = (await request(app).get('/metrics').expect(200)).text;
    for (const kind of ['webhook', 'slack'])
      for (const outcome of ['sent', 'retry', 'failed'])
        expect(text).toContain(
          `tradewatch_notification_attempts_total{kind="${kind}",outcome="${outcome}"} 0`,
        );
  });
});
