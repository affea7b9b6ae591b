import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { describe, expect, it, onTestFinished } from 'vitest';
import { StateWriter } from '../../src/state/index.js';
import { appOver } from '../helpers/app.js';
import { freshDbPath } from '../helpers/tmp.js';

describe('a stalled SSE client', () => {
  it('is dropped once its unread buffer passes the bound, and the others keep streaming', async () => {
    const path = freshDbPath();
    const writer = StateWriter.open(path);
    const write = (round: number) =>
      writer.updateMany(
        Array.from(
          { length: 1500 },
          (_, i) =>
            [
              `chart_S${String(i).padStart(4, '0')}`,
              { price: round * 10 + i, position_size: 0, rsi14: (round + i) % 100 },
            ] as const,
        ),
      );
    write(0);
    const { app, pollers, live } = appOver([{ name: 'main', path }]);
    const poller = pollers[0];
    if (!poller) throw new Error('no poller');
    poller.tick();
    const server = app.listen(0, '127.0.0.1');
    onTestFinished(() => {
      writer.close();
      live.hub.close();
      server.close();
    });
    await new Promise((resolve) => server.once('listening', resolve));
    const { port } = server.address() as AddressInfo;

    // A client that sends its request and then never reads a byte.
    const stalled = connect(port, '127.0.0.1');
    stalled.write('GET /live/stream/live?engine=main HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    // The response headers arriving means the hub has attached it; from then on, nothing is read.
    await new Promise<void>((resolve) =>
      stalled.once('data', () => {
        stalled.pause();
        resolve();
      }),
    );
    onTestFinished(() => {
      stalled.destroy();
    });

    let round = 0;
    while (live.hub.dropped === 0 && round < 400) {
      write(++round);
      poller.tick();
      // Let the socket flush what the kernel will take.
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(live.hub.dropped).toBe(1);
    expect(live.hub.size).toBe(0);
    // Roughly: the watch panel is ~200 KB a push; kernel buffers took the rest.
    expect(round).toBeLessThan(400);
    const res = await fetch(`http://127.0.0.1:${port}/live/panel/live/account?engine=main`);
    expect(res.status).toBe(200);
  });
});
