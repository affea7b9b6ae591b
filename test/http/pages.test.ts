import { createHash } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { describe, expect, it, onTestFinished } from 'vitest';
import { StateWriter } from '../../src/state/index.js';
import { PAGES } from '../../src/web/live/panels.js';
import { appOver } from '../helpers/app.js';
import { freshDbPath } from '../helpers/tmp.js';

const XSS = '<img src=x onerror=alert(1)>';

function engineWithHostileStrings(path: string) {
  const writer = StateWriter.open(path, { strict: true });
  writer.summary({ cash: 10_000, value: 10_500, currency: 'USD' });
  writer.symbol('EURUSD', {
    price: 1.1,
    position_size: 1000,
    position_price: 1.05,
    sl_price: 1.04,
    tp_price: 1.2,
    rsi14: 55,
  });
  writer.symbol(XSS, { price: 1, position_size: -1, position_price: 2 });
  writer.heartbeat({ version: XSS });
  writer.event('alert', 'ERROR', XSS, { symbol: XSS });
  writer.recordTrade({ symbol: XSS, side: 'long', pnl: 5 });
  return writer;
}

describe('live pages', () => {
  it('/live renders every panel with the engine values, hostile strings as text, under a strict CSP', async () => {
    const path = freshDbPath();
    engineWithHostileStrings(path).close();
    const { app, pollers } = appOver([{ name: 'main', path }]);
    pollers[0]?.tick();
    const res = await request(app).get('/live').expect(200).expect('content-type', /html/);
    for (const panel of PAGES.live) expect(res.text).toContain(`id="panel-${panel.name}"`);
    expect(res.text).toContain('10,500.00 USD');
    expect(res.text).toContain('EURUSD');
    expect(res.text).not.toContain(XSS);
    expect(res.text).toContain('&lt;img src=x onerror=alert(1)&gt;');
    const csp = res.headers['content-security-policy'] as string;
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/unsafe-(eval|inline)/);
    // One inline script, the theme's, allowed by its own hash and by nothing broader.
    const inline = [...res.text.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1] ?? '');
    expect(inline).toHaveLength(1);
    const hash = createHash('sha256')
      .update(inline[0] ?? '')
      .digest('base64');
    expect(csp).toContain(`script-src 'self' 'sha256-${hash}';`);
    expect(inline[0]).toContain("localStorage.getItem('tradewatch-theme')");
    expect(res.text).not.toMatch(/<script(?![^>]*(src=|type="application\/json"))[^>]+>/);
  });

  it('serves the symbol page, the state page, and 404s for unknown symbols', async () => {
    const path = freshDbPath();
    engineWithHostileStrings(path).close();
    const { app, pollers } = appOver([{ name: 'main', path }]);
    pollers[0]?.tick();
    const symbol = await request(app).get('/live/symbol/EURUSD').expect(200);
    expect(symbol.text).toContain('1.1000');
    expect(symbol.text).toContain('rsi14');
    const state = await request(app).get('/state').expect(200);
    expect(state.text).toContain('chart_EURUSD');
    expect(state.text).not.toContain(XSS);
    await request(app).get('/live/symbol/NOPE').expect(404);
    await request(app).get('/live?engine=other').expect(404);
  });

  it('serves vendor scripts (from node_modules, or vendored in public/) with cache headers', async () => {
    const { app } = appOver([{ name: 'main', path: freshDbPath() }]);
    for (const file of [
      'htmx.min.js',
      'chart.umd.min.js',
      'chartjs-adapter-date-fns.bundle.min.js',
      'chartjs-plugin-annotation.min.js',
    ]) {
      const res = await request(app).get(`/vendor/${file}`).expect(200);
      expect(res.text.length).toBeGreaterThan(1000);
      expect(res.headers['cache-control']).toMatch(/max-age=\d+/);
    }
    await request(app).get('/vendor/evil.js').expect(404);
    await request(app).get('/static/css/app.css').expect(200);
  });

  it('loads one stylesheet and one or two scripts per page, named by content and cached for a year', async () => {
    const path = freshDbPath();
    engineWithHostileStrings(path).close();
    const { app, pollers } = appOver([{ name: 'main', path }]);
    pollers[0]?.tick();
    const bundlesOf = (html: string) =>
      [...html.matchAll(/(?:src|href)="(\/[^"]+\.(?:js|css))"/g)].map((m) => m[1] ?? '');
    const live = bundlesOf((await request(app).get('/live').expect(200)).text);
    expect(live).toEqual([
      expect.stringMatching(/^\/bundle\/css\.[0-9a-f]{12}\.css$/),
      expect.stringMatching(/^\/bundle\/charts\.[0-9a-f]{12}\.js$/),
      expect.stringMatching(/^\/bundle\/page\.[0-9a-f]{12}\.js$/),
    ]);
    // Pages without charts do not load Chart.js.
    for (const page of ['/alerts', '/logs', '/state']) {
      const urls = bundlesOf((await request(app).get(page).expect(200)).text);
      expect(urls).toEqual([live[0], live[2]]);
    }
    const [css, charts, script] = live as [string, string, string];
    const plain = await request(app).get(script).set('Accept-Encoding', 'identity').expect(200);
    expect(plain.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(plain.headers['content-type']).toMatch(/^text\/javascript/);
    expect(plain.headers['content-encoding']).toBeUndefined();
    // htmx first, then the page glue, which swaps panels through it.
    const htmxAt = plain.text.indexOf('var htmx=');
    expect(htmxAt).toBeGreaterThanOrEqual(0);
    expect(htmxAt).toBeLessThan(plain.text.indexOf('// tradewatch page glue'));
    // Each script runs in a try of its own, as each ran in a <script> of its own before.
    expect(plain.text.match(/^try \{$/gm)).toHaveLength(7);
    expect(plain.text.match(/^\} catch \(error\) \{$/gm)).toHaveLength(7);
    expect(plain.text).not.toContain('sourceMappingURL');
    const zipped = await request(app).get(charts).set('Accept-Encoding', 'gzip').expect(200);
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.headers.vary).toBe('Accept-Encoding');
    expect(zipped.text).toContain('tradewatchCharts'); // supertest unzips
    expect(Number(zipped.headers['content-length'])).toBeLessThan(zipped.text.length / 2);
    expect((await request(app).get(css).expect(200)).headers['content-type']).toMatch(/^text\/css/);
    // Another content, another name: an old or made-up name is not served.
    await request(app)
      .get(script.replace(/\.[0-9a-f]{12}\./, '.000000000000.'))
      .expect(404);
    await request(app).get('/bundle/__proto__').expect(404);
  });

  it('answers an unchanged polled panel with 304 and does not render it again', async () => {
    const path = freshDbPath();
    const writer = engineWithHostileStrings(path);
    const { app, pollers, live } = appOver([{ name: 'main', path }]);
    pollers[0]?.tick();
    const first = await request(app).get('/live/panel/live/account').expect(200);
    expect(first.text).toContain('10,500.00 USD');
    const rendersAfterFirst = live.renderer.renders;
    await request(app)
      .get('/live/panel/live/account')
      .set('If-None-Match', first.headers.etag as string)
      .expect(304);
    expect(live.renderer.renders).toBe(rendersAfterFirst);
    writer.summary({ cash: 1, value: 2, currency: 'USD' });
    pollers[0]?.tick();
    const changed = await request(app)
      .get('/live/panel/live/account')
      .set('If-None-Match', first.headers.etag as string)
      .expect(200);
    expect(changed.text).toContain('2.00 USD');
    await request(app).get('/live/panel/live/nope').expect(404);
    writer.close();
  });

  it('renders each panel once per snapshot version for 20 SSE clients, and pushes only changed panels', async () => {
    const path = freshDbPath();
    const writer = engineWithHostileStrings(path);
    const { app, pollers, live } = appOver([{ name: 'main', path }]);
    pollers[0]?.tick();
    const server = app.listen(0, '127.0.0.1');
    onTestFinished(() => {
      live.hub.close();
      server.close();
    });
    await new Promise((resolve) => server.once('listening', resolve));
    const { port } = server.address() as AddressInfo;
    const clients = await Promise.all(
      Array.from({ length: 20 }, () =>
        openStream(`http://127.0.0.1:${port}/live/stream/live?engine=main`),
      ),
    );
    for (const c of clients)
      await c.until((text) => PAGES.live.every((p) => text.includes(`event: ${p.name}\n`)));
    expect(live.hub.size).toBe(20);
    expect(live.renderer.renders).toBe(PAGES.live.length);
    for (const c of clients) c.reset();
    writer.summary({ cash: 7, value: 8, currency: 'USD' });
    pollers[0]?.tick();
    for (const c of clients)
      await c.until((text) => text.includes('event: account\n') && text.includes('8.00 USD'));
    // Panels whose HTML did not change are not sent again.
    for (const c of clients) expect(c.text()).not.toContain('event: trades\n');
    expect(live.renderer.renders).toBeLessThanOrEqual(PAGES.live.length * 2);
    for (const c of clients) c.close();
  });
});

async function openStream(url: string) {
  const controller = new AbortController();
  const res = await fetch(url, { signal: controller.signal });
  expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  return {
    text: () => buffer,
    reset: () => {
      buffer = '';
    },
    async until(done: (text: string) => boolean) {
      while (!done(buffer)) {
        const { value, done: ended } = await reader.read();
        if (ended) throw new Error('stream ended');
        buffer += decoder.decode(value, { stream: true });
      }
    },
    close: () => controller.abort(),
  };
}
