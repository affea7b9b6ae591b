import { describe, expect, it } from 'vitest';
import { StateWriter } from '../../src/state/index.js';
import { serveEngine } from '../helpers/cli.js';
import { startReceiver } from '../helpers/receivers.js';
import { freshDbPath } from '../helpers/tmp.js';

const BURST = 5000;

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? 0;

describe('a burst of engine alerts (real dashboard process, real webhook receiver)', () => {
  it('5,000 alert events in one commit: /healthz keeps answering while each notification goes out once', async () => {
    const hook = await startReceiver();
    const db = freshDbPath();
    const writer = StateWriter.open(db, { strict: true, flushMs: 3_600_000 });
    writer.heartbeat({ status: 'running' });
    writer.flush();
    const cli = await serveEngine(db, ['--poll-ms', '100', '--notify-webhook', `${hook.url}/hook`]);
    for (let i = 0; i < BURST; i++)
      writer.event('alert', 'ERROR', `risk check ${i} failed`, { key: `check-${i}` });
    writer.heartbeat({ status: 'running' });
    expect(writer.flush()).toBe(true); // one commit
    const startedMs = Date.now();

    // Probe liveness the whole time the burst is processed and sent.
    const latencies: number[] = [];
    const deadline = Date.now() + 200_000;
    while (hook.received.length < BURST && Date.now() < deadline) {
      const t = performance.now();
      const res = await fetch(`${cli.url}/healthz`, { signal: AbortSignal.timeout(60_000) });
      latencies.push(performance.now() - t);
      expect(res.status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 50)); // probe interval, not a wait for state
    }
    const sentMs = Date.now() - startedMs;
    const ids = hook.received.map((r) => (r.body as { alert: { id: number } }).alert.id);
    expect(ids).toHaveLength(BURST);
    expect(new Set(ids).size).toBe(BURST);
    latencies.sort((a, b) => a - b);
    console.log(
      `${BURST} alerts in one commit: all sent in ${(sentMs / 1000).toFixed(1)} s; /healthz over ${latencies.length} probes p50 ${percentile(latencies, 50).toFixed(0)} ms, p99 ${percentile(latencies, 99).toFixed(0)} ms, max ${(latencies.at(-1) ?? 0).toFixed(0)} ms`,
    );
    writer.close();
    await cli.stop();
  }, 240_000);
});
