import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { describe, expect, it, onTestFinished } from 'vitest';
import { hashPassword } from '../../src/contract/password.js';
import { appOver } from '../helpers/app.js';
import { hostSample } from '../helpers/host-sample.js';
import { basicAuth, smallEngineDb } from '../helpers/small-engine.js';

const TOKEN = 'share-token-0123456789abcdef';
const PASSWORD = 'correct horse battery';
const basic = basicAuth;

async function listening(app: ReturnType<typeof appOver>['app']) {
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  onTestFinished(() => {
    server.closeAllConnections();
    server.close();
  });
  return (server.address() as AddressInfo).port;
}

/** A GET with any Host header (fetch would not let a test set it). */
function get(port: number, path: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; body: string; ms: number }>((resolve, reject) => {
    const started = performance.now();
    const req = httpRequest({ host: '127.0.0.1', port, path, headers, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, body, ms: performance.now() - started }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

/** Ten wrong passwords from the test's address: each checked (401); the next attempt is over the limit. */
async function tenWrongPasswords(app: ReturnType<typeof appOver>['app']) {
  for (let i = 0; i < 10; i++)
    await request(app)
      .get('/live')
      .set('Authorization', basic('trader', `guess-${i}`))
      .expect(401);
}

describe('password guessing at speed', () => {
  it('verifies at most 10 of 300 concurrent Basic guesses from one client; static files keep answering', async () => {
    const hash = await hashPassword(PASSWORD);
    const { app } = appOver(
      [{ name: 'main', path: smallEngineDb() }],
      {},
      ['--host', '0.0.0.0', '--auth-user', 'trader'],
      { TRADEWATCH_AUTH_PASSWORD_HASH: hash },
    );
    const port = await listening(app);
    const guesses = Array.from({ length: 300 }, (_, i) =>
      get(port, '/api/v1/state', { authorization: basic('trader', `guess-${i}`) }),
    );
    const asset = get(port, '/static/css/app.css');
    const results = await Promise.all(guesses);
    const statuses = results.map((r) => r.status);
    // 401 = a password was checked and was wrong; 429 = refused before any check.
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(10);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(290);
    expect(statuses.every((s) => s === 401 || s === 429)).toBe(true);
    const served = await asset;
    expect(served.status).toBe(200);
    console.log(`static file during 300 concurrent guesses: ${served.ms.toFixed(0)} ms`);
  }, 60_000);
});

describe('behind a reverse proxy', () => {
  const proxied = (flags: string[] = []) =>
    appOver(
      [{ name: 'main', path: smallEngineDb() }],
      {},
      ['--host', '0.0.0.0', '--auth-user', 'trader', ...flags],
      { TRADEWATCH_AUTH_PASSWORD: PASSWORD },
    ).app;

  it("with --trusted-proxy, one client's failures do not lock out another client's correct password", async () => {
    const app = proxied(['--trusted-proxy', '127.0.0.1']);
    for (let i = 0; i < 10; i++)
      await request(app)
        .get('/live')
        .set('X-Forwarded-For', '203.0.113.66')
        .set('Authorization', basic('trader', `guess-${i}`))
        .expect(401);
    await request(app)
      .get('/live')
      .set('X-Forwarded-For', '203.0.113.66')
      .set('Authorization', basic('trader', PASSWORD))
      .expect(429);
    await request(app)
      .get('/live')
      .set('X-Forwarded-For', '203.0.113.7')
      .set('Authorization', basic('trader', PASSWORD))
      .expect(200);
    // The attacker cannot forge a fresh address to the left of the proxy's entry.
    await request(app)
      .get('/live')
      .set('X-Forwarded-For', '198.51.100.1, 203.0.113.66')
      .set('Authorization', basic('trader', 'guess-x'))
      .expect(429);
  });

  it('without --trusted-proxy, X-Forwarded-For is ignored: a forged header does not escape the limit', async () => {
    const app = proxied();
    for (let i = 0; i < 10; i++)
      await request(app)
        .get('/live')
        .set('X-Forwarded-For', `203.0.113.${i}`)
        .set('Authorization', basic('trader', `guess-${i}`))
        .expect(401);
    await request(app)
      .get('/live')
      .set('X-Forwarded-For', '203.0.113.200')
      .set('Authorization', basic('trader', 'guess-y'))
      .expect(429);
  });

  it('a user already signed in keeps working while someone at the same address is locked out', async () => {
    const app = proxied();
    await request(app).get('/live').set('Authorization', basic('trader', PASSWORD)).expect(200);
    await tenWrongPasswords(app);
    await request(app).get('/live').set('Authorization', basic('trader', 'guess-z')).expect(429);
    await request(app).get('/live').set('Authorization', basic('trader', PASSWORD)).expect(200);
  });
});

describe("a correct credential is not locked out by someone else's failures", () => {
  const withHash = (hash: string, path: string) =>
    appOver(
      [{ name: 'main', path }],
      {},
      ['--host', '0.0.0.0', '--auth-user', 'trader', '--auth-token', TOKEN],
      {
        TRADEWATCH_AUTH_PASSWORD_HASH: hash,
      },
    ).app;
  const deviceCookie = (res: request.Response) =>
    String(res.headers['set-cookie'] ?? '').split(';')[0] ?? '';

  it('after 10 wrong passwords from one address, a browser that signed in before gets in with the right one, also after a restart; a guesser without its cookie stays at 429', async () => {
    const hash = await hashPassword(PASSWORD);
    const path = smallEngineDb();
    const before = withHash(hash, path);
    const signedIn = await request(before)
      .get('/live')
      .set('Authorization', basic('trader', PASSWORD))
      .expect(200);
    const cookie = deviceCookie(signedIn);
    expect(cookie).toMatch(/^tradewatch_device=[\w-]+\.[\w-]+$/);
    for (const app of [before, withHash(hash, path)]) {
      // `app` is first the same process, then a fresh one (a restart): no verified header in memory.
      await tenWrongPasswords(app);
      await request(app).get('/live').set('Authorization', basic('trader', 'guess-x')).expect(429);
      await request(app)
        .get('/api/v1/state')
        .set('Cookie', cookie)
        .set('Authorization', basic('trader', PASSWORD))
        .expect(200);
    }
    // Without the cookie the right password is refused like any guess: the limit still holds.
    const fresh = withHash(hash, path);
    await tenWrongPasswords(fresh);
    await request(fresh).get('/live').set('Authorization', basic('trader', PASSWORD)).expect(429);
  }, 60_000);

  it('a forged or foreign device cookie does not escape the per-address limit', async () => {
    const app = withHash(await hashPassword(PASSWORD), smallEngineDb());
    const forged = await request(withHash(await hashPassword('another password'), smallEngineDb()))
      .get('/live')
      .set('Authorization', basic('trader', 'another password'))
      .expect(200);
    expect(deviceCookie(forged)).toMatch(/^tradewatch_device=/);
    const cookies = [deviceCookie(forged), 'tradewatch_device=abc.def'];
    for (let i = 0; i < 10; i++)
      await request(app)
        .get('/live')
        .set('Cookie', cookies[i % 2] ?? '')
        .set('Authorization', basic('trader', `guess-${i}`))
        .expect(401);
    await request(app)
      .get('/live')
      .set('Cookie', cookies[0] ?? '')
      .set('Authorization', basic('trader', 'guess-y'))
      .expect(429);
  }, 60_000);

  it('after 10 wrong share tokens from one address, the right token still reads (Bearer and link)', async () => {
    const app = withHash(await hashPassword(PASSWORD), smallEngineDb());
    for (let i = 0; i < 10; i++)
      await request(app)
        .get('/api/v1/state')
        .set('Authorization', `Bearer wrong-token-${i}-0123456789`)
        .expect(401);
    await request(app)
      .get('/api/v1/state')
      .set('Authorization', 'Bearer wrong-token-x-0123456789')
      .expect(429);
    await request(app).get('/api/v1/state').set('Authorization', `Bearer ${TOKEN}`).expect(200);
    const link = await request(app).get(`/live?token=${TOKEN}`).expect(200);
    expect(String(link.headers['set-cookie'])).toContain('tradewatch_session=');
  }, 60_000);
});

describe('the read-only share token', () => {
  it('cannot acknowledge an alert, by Bearer header or by its cookie; the signed-in user can', async () => {
    const { app, monitoring } = appOver(
      [{ name: 'main', path: smallEngineDb() }],
      {},
      [
        '--host',
        '0.0.0.0',
        '--auth-user',
        'trader',
        '--auth-token',
        TOKEN,
        '--alert',
        'disk.for=0',
      ],
      { TRADEWATCH_AUTH_PASSWORD: PASSWORD },
    );
    monitoring.host.emit('sample', hostSample(Date.now(), { disks: { '/': 99 } }));
    const id = monitoring.alerts.active()[0]?.id;
    expect(id).toBeDefined();
    const ack = `/api/v1/monitoring/alerts/${id}/ack`;
    await request(app)
      .post(ack)
      .set('Authorization', `Bearer ${TOKEN}`)
      .expect(403, /only reads/);
    const link = await request(app).get(`/live?token=${TOKEN}`).expect(200);
    const cookie = String(link.headers['set-cookie']).split(';')[0] ?? '';
    await request(app).get('/live').set('Cookie', cookie).expect(200);
    await request(app)
      .post(ack)
      .set('Cookie', cookie)
      .expect(403, /only reads/);
    expect(monitoring.alerts.active()[0]?.ackedAtMs).toBeNull();
    await request(app).post(ack).set('Authorization', basic('trader', PASSWORD)).expect(200);
  });
});

describe('caching with authentication on', () => {
  it('lets the browser keep a polled panel (private, no-cache + ETag) so it gets a 304; pages stay no-store', async () => {
    const { app, pollers } = appOver([{ name: 'main', path: smallEngineDb() }], {}, [
      '--auth-token',
      TOKEN,
    ]);
    pollers[0]?.tick();
    const auth = `Bearer ${TOKEN}`;
    const first = await request(app)
      .get('/live/panel/live/account')
      .set('Authorization', auth)
      .expect(200);
    expect(first.headers['cache-control']).toBe('private, no-cache');
    const etag = first.headers.etag as string;
    expect(etag).toBeTruthy();
    const again = await request(app)
      .get('/live/panel/live/account')
      .set('Authorization', auth)
      .set('If-None-Match', etag)
      .expect(304);
    expect(again.text).toBe('');
    const page = await request(app).get('/live').set('Authorization', auth).expect(200);
    expect(page.headers['cache-control']).toBe('no-store');
  });
});

describe('DNS rebinding on loopback without authentication', () => {
  it('serves the bound address, localhost names and --allowed-host names; any other Host gets 421', async () => {
    const { app } = appOver([{ name: 'main', path: smallEngineDb() }], {}, [
      '--allowed-host',
      'trading-box.local',
    ]);
    const port = await listening(app);
    for (const host of [
      `127.0.0.1:${port}`,
      `localhost:${port}`,
      `LOCALHOST:${port}`,
      `app.localhost:${port}`,
      `[::1]:${port}`,
      `trading-box.local:${port}`,
    ])
      expect((await get(port, '/api/v1/state', { host })).status, host).toBe(200);
    for (const host of [`evil.example:${port}`, 'evil.example', `127.0.0.1.evil.example:${port}`]) {
      const res = await get(port, '/api/v1/state', { host });
      expect(res.status, host).toBe(421);
      expect(res.body).toMatch(/--allowed-host/);
      expect(res.body).not.toContain('equity');
    }
    expect((await get(port, '/live', { host: `evil.example:${port}` })).status).toBe(421);
  });

  it('accepts --allowed-host with a port (name:port, [v6]:port) and matches the name on any port', async () => {
    const { app } = appOver([{ name: 'main', path: smallEngineDb() }], {}, [
      '--allowed-host',
      'trading-box.local:8080',
      '--allowed-host',
      '[fd00::5]:8443',
    ]);
    const port = await listening(app);
    for (const host of ['trading-box.local:8080', `trading-box.local:${port}`, '[fd00::5]:8443'])
      expect((await get(port, '/api/v1/state', { host })).status, host).toBe(200);
    expect((await get(port, '/api/v1/state', { host: 'evil.example:8080' })).status).toBe(421);
  });

  it('does not restrict Host once authentication is on (a rebinding page has no credentials)', async () => {
    const { app } = appOver([{ name: 'main', path: smallEngineDb() }], {}, ['--auth-token', TOKEN]);
    await request(app)
      .get('/api/v1/state')
      .set('Host', 'dash.example.org')
      .set('Authorization', `Bearer ${TOKEN}`)
      .expect(200);
  });
});
