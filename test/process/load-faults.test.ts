import { get, type IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { StateWriter } from '../../src/state/index.js';
import { serveEngine } from '../helpers/cli.js';
import { watchState } from '../helpers/state-stream.js';
import { freshDbPath } from '../helpers/tmp.js';

/** Load the running service must take: many live pages at once, and a stop in the middle of traffic. */
describe('load faults (real dashboard process)', () => {
  it('500 concurrent SSE clients all get the next change', { timeout: 60_000 }, async () => {
    const db = freshDbPath();
    const writer = StateWriter.open(db, { strict: true });
    writer.heartbeat({ status: 'running' });
    writer.summary({ cash: 1 });
    const cli = await serveEngine(db, ['--poll-ms', '100']);
    await (await watchState(cli.url)).until('live');
    const streams: IncomingMessage[] = [];
    /** Counts clients; `all` resolves when every one of the 500 has counted. */
    const counter = () => {
      let count = 0;
      let done: () => void = () => {};
      const all = new Promise<void>((resolve) => {
        done = resolve;
      });
      return {
        all,
        hit: () => ++count === 500 && done(),
        get count() {
          return count;
        },
      };
    };
    const connected = counter();
    const updated = counter();
    for (let i = 0; i < 500; i++) {
      get(`${cli.url}/live/stream/live`, { agent: false }, (res) => {
        streams.push(res);
        const client = { connected: false, updated: false, text: '' };
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          client.text += chunk;
          if (!client.connected && client.text.includes('event: meta')) {
            client.connected = true;
            connected.hit();
          }
          if (!client.updated && client.text.includes('424,242')) {
            client.updated = true;
            updated.hit();
          }
        });
      });
    }
    await connected.all;
    writer.summary({ cash: 424_242 });
    await updated.all;
    expect(updated.count).toBe(500);
    for (const res of streams) res.destroy();
    writer.close();
  });

  it('SIGTERM under load: gone within 2 s, no error response to an accepted request', async () => {
    const db = freshDbPath();
    const writer = StateWriter.open(db, { strict: true });
    writer.heartbeat({ status: 'running' });
    writer.close();
    const cli = await serveEngine(db);
    const statuses: number[] = [];
    let refused = 0;
    let stopped = false;
    const worker = async () => {
      while (!stopped) {
        try {
          const res = await fetch(`${cli.url}/api/v1/state`);
          await res.arrayBuffer();
          statuses.push(res.status);
        } catch {
          refused++; // a connection the stopping server no longer accepts
          if (stopped) return;
        }
      }
    };
    const workers = Array.from({ length: 20 }, worker);
    while (statuses.length < 200) await new Promise((resolve) => setImmediate(resolve));
    const { code, ms } = await cli.stop();
    stopped = true;
    await Promise.all(workers);
    expect(code).toBe(0);
    expect(ms).toBeLessThan(2500);
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    console.log(
      `SIGTERM under load: ${statuses.length} answered 200, ${refused} refused after the stop, exit in ${ms} ms`,
    );
  });
});
