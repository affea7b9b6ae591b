import { get } from 'node:http';
import { join } from 'node:path';
import { StateWriter } from '../../src/state/index.js';
import { equityText, seed, startE2eDashboard } from './e2e-dashboard.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Database reads of an idle engine (5 s) and of a burst of 1,000 commits in about one second,
 * with file watching on or off (`--no-watch`, the timed poll alone).
 */
export async function readsPerSecond(dir: string, watch: boolean) {
  const db = join(dir, `reads-${watch}.db`);
  const writer = StateWriter.open(db);
  seed(writer, 100_000);
  const dashboard = await startE2eDashboard(db, dir, watch ? [] : ['--no-watch']);
  try {
    const reads = () => dashboard.metric('tradewatch_engine_database_reads');
    const polls = () => dashboard.metric('tradewatch_polls_total');
    await sleep(1500);
    const [r0, p0] = [await reads(), await polls()];
    await sleep(5000);
    const idle = { reads: ((await reads()) - r0) / 5, polls: ((await polls()) - p0) / 5 };
    const b0 = await reads();
    const started = performance.now();
    for (let i = 0; i < 1000; i++) {
      writer.summary({ cash: 100_000, value: 100_000 + i, currency: 'USD' });
      if (i % 10 === 9) await sleep(10);
    }
    const burstSeconds = (performance.now() - started) / 1000;
    await sleep(1500); // the last commit's read, whichever way it comes
    return { watch, idle, burstReads: (await reads()) - b0, burstSeconds };
  } finally {
    await dashboard.stop();
    writer.close();
  }
}

/**
 * `clients` live streams (as many browsers) on one dashboard: the time from one engine write
 * until the last stream carried the new value. The clients run in this process.
 */
export async function fanout(dir: string, clients: number) {
  const db = join(dir, 'fanout.db');
  const writer = StateWriter.open(db);
  seed(writer, 100_000);
  const dashboard = await startE2eDashboard(db, dir);
  const url = `${dashboard.url}/live/stream?sub=${encodeURIComponent('live?engine=bench')}`;
  let marker = '';
  let t0 = 0;
  const arrivals: number[] = [];
  const requests: Array<ReturnType<typeof get>> = [];
  try {
    await Promise.all(
      Array.from(
        { length: clients },
        () =>
          new Promise<void>((resolve, reject) => {
            const req = get(url, { agent: false }, (res) => {
              let tail = '';
              let seen = false;
              res.setEncoding('utf8');
              res.on('data', (chunk: string) => {
                resolve();
                tail = (tail + chunk).slice(-4096);
                if (!seen && marker && tail.includes(marker)) {
                  seen = true;
                  arrivals.push(performance.now() - t0);
                }
              });
            });
            req.on('error', reject);
            requests.push(req);
          }),
      ),
    );
    await sleep(1000);
    marker = equityText(123_456.5);
    t0 = performance.now();
    seed(writer, 123_456.5);
    const deadline = Date.now() + 10_000;
    while (arrivals.length < clients && Date.now() < deadline) await sleep(5);
    return {
      clients,
      received: arrivals.length,
      lastMs: Math.max(...arrivals),
      streams: await dashboard.metric('tradewatch_live_streams'),
    };
  } finally {
    for (const req of requests) req.destroy();
    await dashboard.stop();
    writer.close();
  }
}
