import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { StateWriter } from '../../src/state/index.js';
import { appOver } from '../helpers/app.js';
import { freshDbPath } from '../helpers/tmp.js';

function engineDb(keys = 0) {
  const path = freshDbPath();
  const writer = StateWriter.open(path, { strict: true });
  writer.heartbeat({ status: 'running' });
  writer.symbol('EURUSD', { price: 1.1 });
  if (keys)
    writer.updateMany(
      Array.from({ length: keys }, (_, i) => [`key_${i}`, { n: i, text: `value ${i}` }] as const),
    );
  writer.close();
  return path;
}

describe('client-chosen values create nothing', () => {
  it('answers 404 to ?symbol= values the engine does not have, rendering and caching nothing for them', async () => {
    const { app, pollers, live } = appOver([{ name: 'main', path: engineDb() }]);
    pollers[0]?.tick();
    await request(app).get('/live/panel/symbol/symbol?symbol=EURUSD').expect(200);
    const renders = live.renderer.renders;
    for (let i = 0; i < 200; i++) {
      const symbol = `RANDOM${i}`;
      await request(app).get(`/live/panel/symbol/symbol?symbol=${symbol}`).expect(404);
      await request(app).get(`/live/panel/symbol/header?symbol=${symbol}`).expect(404);
      await request(app).get(`/live/stream/symbol?symbol=${symbol}`).expect(404);
    }
    expect(live.renderer.renders).toBe(renders);
    await request(app).get('/live/panel/symbol/symbol?symbol=EURUSD').expect(200);
  });
});

describe('/state read by many at once', () => {
  it('renders the page once per snapshot for 40 concurrent readers and sends them the same bytes', async () => {
    const { app, pollers } = appOver([{ name: 'main', path: engineDb(5000) }]);
    pollers[0]?.tick();
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    onTestFinished(() => {
      server.close();
    });
    const { port } = server.address() as AddressInfo;
    const pageRenders = vi.spyOn(app, 'render');
    const bodies = await Promise.all(
      Array.from({ length: 40 }, async () => {
        const res = await fetch(`http://127.0.0.1:${port}/state`);
        expect(res.status).toBe(200);
        return res.text();
      }),
    );
    expect(pageRenders).toHaveBeenCalledTimes(1);
    expect(new Set(bodies).size).toBe(1);
    expect(bodies[0]).toContain('key_4999');
  });
});
