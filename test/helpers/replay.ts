import request from 'supertest';
import { StateWriter } from '../../src/state/index.js';
import { appOver } from './app.js';
import { freshDbPath } from './tmp.js';

/**
 * Three known states written through the writer, each observed by the poller at a known
 * dashboard time (its clock is injected), with the live /api/v1/state captured at each.
 */
export async function threeMoments(flags: string[] = []) {
  const path = freshDbPath();
  const writer = StateWriter.open(path, { strict: true });
  let now = Date.now() - 120_000;
  const t0 = now;
  const { app, pollers, replay, monitoring } = appOver(
    [{ name: 'main', path, now: () => now }],
    {},
    flags,
  );
  const poller = pollers[0];
  if (!poller) throw new Error('no poller');
  const live: Array<Record<string, unknown>> = [];
  const capture = async () => {
    poller.tick();
    live.push((await request(app).get('/api/v1/state').expect(200)).body);
  };
  writer.summary({ cash: 10_000, value: 10_000, currency: 'USD' });
  writer.symbol('EURUSD', { price: 1.1, position_size: 0 });
  await capture();
  now = t0 + 2000;
  writer.summary({ cash: 10_000, value: 10_001, currency: 'USD' });
  writer.symbol('EURUSD', {
    price: 1.101,
    position_size: 1000,
    position_price: 1.1,
    sl_price: 1.09,
    tp_price: 1.12,
  });
  await capture();
  now = t0 + 4000;
  writer.symbol('EURUSD', { price: 1.12, position_size: 0 });
  writer.summary({ cash: 10_020, value: 10_020, currency: 'USD' });
  writer.recordTrade({ symbol: 'EURUSD', side: 'long', qty: 1000, pnl: 20 });
  await capture();
  await replay.recorder.flushAll();
  writer.close();
  return { app, t0, live, monitoring };
}
