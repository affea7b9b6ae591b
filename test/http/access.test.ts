import { execFileSync, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { get as httpsGet } from 'node:https';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { hashPassword } from '../../src/contract/password.js';
import { StateWriter } from '../../src/state/index.js';
import { appOver } from '../helpers/app.js';
import { hasBinary } from '../helpers/binaries.js';
import { startCli } from '../helpers/cli.js';
import { finished, spawnTs } from '../helpers/spawn.js';
import { freshDbPath } from '../helpers/tmp.js';

const TOKEN = 'share-token-0123456789abcdef';
const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

function engineDb() {
  const path = freshDbPath();
  const writer = StateWriter.open(path, { strict: true });
  writer.heartbeat({ status: 'running' });
  writer.summary({ equity: 123_456, currency: 'USD' });
  writer.close();
  return path;
}

/** An app on a LAN address with basic auth (password from the environment) and a share token. */
function securedApp() {
  const secured = appOver(
    [{ name: 'main', path: engineDb() }],
    {},
    ['--host', '0.0.0.0', '--auth-user', 'trader', '--auth-token', TOKEN],
    { TRADEWATCH_AUTH_PASSWORD: 'correct horse battery' },
  );
  secured.pollers[0]?.tick();
  return secured;
}

describe('authentication on a LAN address', () => {
  it('asks for credentials everywhere but liveness, readiness and assets', async () => {
    const { app } = securedApp();
    for (const path of [
      '/live',
      '/api/live/status',
      '/api/v1/state',
      '/metrics',
      '/logs',
      '/live/stream/live',
    ])
      await request(app)
        .get(path)
        .expect(401)
        .expect('www-authenticate', 'Basic realm="tradewatch", charset="UTF-8"');
    await request(app).get('/healthz').expect(200);
    await request(app).get('/readyz').expect(200);
    await request(app).get('/static/css/app.css').expect(200);
    await request(app).get('/vendor/htmx.min.js').expect(200);
    // Page bundles hold no data either (their names come from the page a browser signs in to).
    const bundle = /\/bundle\/css\.[0-9a-f]{12}\.css/.exec(
      (
        await request(app)
          .get('/live')
          .set('Authorization', basic('trader', 'correct horse battery'))
      ).text,
    )?.[0];
    await request(app).get(String(bundle)).expect(200);
  });

  it('accepts the user and password, and marks authenticated pages no-store and revalidated responses private, no-cache', async () => {
    const { app } = securedApp();
    const res = await request(app)
      .get('/api/live/status')
      .set('Authorization', basic('trader', 'correct horse battery'))
      .expect(200);
    expect(res.headers['cache-control']).toBe('private, no-cache'); // snapshot JSON with its ETag
    const page = await request(app)
      .get('/live')
      .set('Authorization', basic('trader', 'correct horse battery'))
      .expect(200);
    expect(page.headers['cache-control']).toBe('no-store');
    const panel = await request(app)
      .get('/live/panel/live/account')
      .set('Authorization', basic('trader', 'correct horse battery'))
      .expect(200);
    // Kept by this browser only, and always revalidated by its ETag (review 9): never shared.
    expect(panel.headers['cache-control']).toBe('private, no-cache');
    await request(app).get('/live').set('Authorization', basic('trader', 'wrong')).expect(401);
    await request(app)
      .get('/live')
      .set('Authorization', basic('someone', 'correct horse battery'))
      .expect(401);
  });

  it('turns the share link into an HttpOnly SameSite=Strict cookie, then needs neither', async () => {
    const { app } = securedApp();
    const first = await request(app).get(`/live?engine=main&token=${TOKEN}`).expect(200);
    const cookie = String(first.headers['set-cookie']);
    expect(cookie).toMatch(
      /^tradewatch_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Strict; Max-Age=2592000$/,
    );
    expect(first.text).toContain('<meta http-equiv="refresh" content="0;url=/live?engine=main">');
    const page = await request(app)
      .get('/live?engine=main')
      .set('Cookie', cookie.split(';')[0] ?? '')
      .expect(200);
    expect(page.text).toContain('123,456');
    await request(app).get('/api/v1/state').set('Authorization', `Bearer ${TOKEN}`).expect(200);
    await request(app).get('/live').set('Cookie', 'tradewatch_session=forged').expect(401);
    await request(app).get('/live?token=wrong-token-0123456789').expect(401);
  });

  it('stops answering an address after 10 failed attempts', async () => {
    const { app } = securedApp();
    for (let i = 0; i < 10; i++)
      await request(app)
        .get('/live')
        .set('Authorization', basic('trader', `guess-${i}`))
        .expect(401);
    const blocked = await request(app)
      .get('/live')
      .set('Authorization', basic('trader', 'correct horse battery'))
      .expect(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(500);
    // Requests without credentials are not counted: the health check keeps working.
    await request(app).get('/healthz').expect(200);
  });

  it('checks a password hash from the config file (made by `tradewatch hash-password`)', async () => {
    const made = await finished(
      (() => {
        const child = spawnTs('src/cli.ts', ['hash-password']);
        return child;
      })(),
    );
    expect(made.code).toBe(2); // no password on stdin
    const hash = await hashPassword('correct horse battery');
    const config = `${freshDbPath()}.yaml`;
    writeFileSync(config, `auth-password-hash: "${hash}"\n`);
    const { app } = appOver([{ name: 'main', path: engineDb() }], {}, [
      '--config',
      config,
      '--auth-user',
      'trader',
    ]);
    await request(app)
      .get('/live')
      .set('Authorization', basic('trader', 'correct horse battery'))
      .expect(200);
    await request(app)
      .get('/live')
      .set('Authorization', basic('trader', 'correct horse batterx'))
      .expect(401);
  });

  it('rejects an acknowledgement from another site even with a valid session', async () => {
    const { app } = securedApp();
    await request(app)
      .post('/api/v1/monitoring/alerts/1/ack')
      .set('Authorization', basic('trader', 'correct horse battery'))
      .set('Sec-Fetch-Site', 'cross-site')
      .expect(403);
    await request(app).post('/api/v1/monitoring/alerts/1/ack').expect(401);
  });
});

describe('starting on a LAN address', () => {
  it('refuses to start without authentication, and says how to set it up', async () => {
    const run = await finished(spawnTs('src/cli.ts', ['--host', '0.0.0.0', '--port', '0']));
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /--host: 0\.0\.0\.0 is reachable from the network.*--auth-user.*TRADEWATCH_AUTH_PASSWORD.*--auth-token.*--insecure-no-auth/s,
    );
  });

  it('with --insecure-no-auth: starts, warns in the log, and shows a banner on every page', async () => {
    const db = engineDb();
    const cli = await startCli([
      '--db',
      `main=${db}`,
      '--host',
      '0.0.0.0',
      '--port',
      '0',
      '--insecure-no-auth',
      '--data-dir',
      `${db}.data`,
    ]);
    const url = cli.url.replace('0.0.0.0', '127.0.0.1');
    const page = await (await fetch(`${url}/live`)).text();
    expect(page).toContain(
      '<div class="banner" role="alert">Anyone who can reach 0.0.0.0 can see this dashboard',
    );
    expect(cli.lines.join('\n')).toMatch(
      /"level":40.*without authentication \(--insecure-no-auth\)/,
    );
  });

  it('rejects half-configured authentication and TLS', () => {
    const run = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'src/cli.ts', '--auth-user', 'trader'],
      { encoding: 'utf8' },
    );
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/--auth-user: needs a password/);
  });
});

describe.runIf(hasBinary('openssl'))('HTTPS', () => {
  it('serves over TLS with --tls-cert/--tls-key and marks the session cookie Secure', async () => {
    const base = freshDbPath();
    execFileSync(
      'openssl',
      [
        ...[
          'req',
          '-x509',
          '-newkey',
          'rsa:2048',
          '-nodes',
          '-days',
          '1',
          '-subj',
          '/CN=localhost',
        ],
        ...['-keyout', `${base}.key`, '-out', `${base}.crt`],
      ],
      { stdio: 'ignore' },
    );
    const db = engineDb();
    const cli = await startCli([
      ...['--db', `main=${db}`, '--port', '0', '--data-dir', `${db}.data`, '--auth-token', TOKEN],
      ...['--tls-cert', `${base}.crt`, '--tls-key', `${base}.key`],
    ]);
    expect(cli.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const req = httpsGet(`${cli.url}/live?token=${TOKEN}`, { rejectUnauthorized: false });
    const [res] = (await once(req, 'response')) as [import('node:http').IncomingMessage];
    expect(res.statusCode).toBe(200);
    expect(String(res.headers['set-cookie'])).toMatch(/; Secure$/);
    res.resume();
  });
});
