import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { describe, expect, it, onTestFinished } from 'vitest';
import { StateWriter } from '../../src/state/index.js';
import { appOver } from '../helpers/app.js';
import { followSse } from '../helpers/sse-client.js';
import { freshDbPath } from '../helpers/tmp.js';

function engine() {
  const path = freshDbPath();
  const writer = StateWriter.open(path, { strict: true });
  onTestFinished(() => writer.close());
  writer.summary({ cash: 1000, value: 1234.5, currency: 'USD' });
  writer.symbol('EURUSD', { price: 1.08421, position_size: 0 });
  writer.symbol('BTCUSD', { price: 65_000.5, position_size: 0 });
  const served = appOver([{ name: 'main', path }]);
  served.pollers[0]?.tick();
  return served;
}

async function listen(app: ReturnType<typeof engine>) {
  const server = app.app.listen(0, '127.0.0.1');
  onTestFinished(() => {
    app.live.hub.close();
    server.close();
  });
  await new Promise((resolve) => server.once('listening', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const sub = (...tags: string[]) =>
  `/live/stream?${tags.map((t) => `sub=${encodeURIComponent(t)}`).join('&')}`;
type Tagged = { s: string; p?: string; h?: string; title?: string };

describe('a shared stream (/live/stream?sub=...)', () => {
  it('answers 400 to no page, a page it does not know, a stray parameter or too many pages', async () => {
    const { app } = engine();
    await request(app).get('/live/stream').expect(400);
    await request(app).get(sub('nope?engine=main')).expect(404);
    await request(app).get(sub('live?engine=main&evil=1')).expect(400);
    await request(app)
      .get(`${sub('live?engine=main')}&other=1`)
      .expect(400);
    const many = Array.from({ length: 65 }, (_, i) => `symbol?engine=main&symbol=S${i}`);
    await request(app)
      .get(sub(...many))
      .expect(400);
  });

  it('carries the panels of every page on it, each tagged with its page, and leaves out an engine that is gone', async () => {
    const served = engine();
    const base = await listen(served);
    const live = 'live?engine=main';
    const euro = 'symbol?engine=main&symbol=EURUSD';
    const btc = 'symbol?engine=main&symbol=BTCUSD';
    const sse = await followSse(base + sub(live, euro, btc, 'live?engine=gone'));
    const data = (tag: string, panel: string) =>
      sse.until((e) => {
        const d = JSON.parse(e.data) as Tagged;
        return e.type === 'panel' && d.s === tag && d.p === panel;
      });
    expect((JSON.parse((await data(live, 'account')).data) as Tagged).h).toContain('1,234.50');
    expect((JSON.parse((await data(euro, 'symbol')).data) as Tagged).h).toContain('EURUSD');
    const btcPanel = JSON.parse((await data(btc, 'symbol')).data) as Tagged;
    expect(btcPanel.h).toContain('BTCUSD');
    expect(btcPanel.h).not.toContain('EURUSD');
    await sse.until((e) => e.type === 'meta' && (JSON.parse(e.data) as Tagged).s === btc);
    const tags = new Set(sse.events.map((e) => (JSON.parse(e.data) as Tagged).s));
    expect([...tags].sort()).toEqual([btc, euro, live].sort());
    // A symbol page gets no /live panels.
    expect(
      sse.events.some((e) => {
        const d = JSON.parse(e.data) as Tagged;
        return d.s === euro && d.p === 'account';
      }),
    ).toBe(false);
    expect(served.live.hub.size).toBe(1);
  });
});
