import { rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it, onTestFinished } from 'vitest';
import { AlertStore } from '../../src/monitor/alerts/store.js';
import { SidecarFile } from '../../src/monitor/sidecar.js';
import { EnginePoller } from '../../src/reader/poller.js';
import { createReplay } from '../../src/service/replay.js';
import { StateWriter } from '../../src/state/index.js';
import { freshDbPath } from '../helpers/tmp.js';

/** A writer, a poller on a settable clock, and replay recording it into `sidecar`. */
function recording(sidecar: Database.Database, options: Parameters<typeof createReplay>[3] = {}) {
  const path = freshDbPath();
  const writer = StateWriter.open(path, { strict: true });
  const clock = { now: 1_700_000_000_000 };
  const poller = new EnginePoller({
    name: 'main',
    path,
    pollMs: 1000,
    staleAfterMs: 30_000,
    timeZone: 'UTC',
    now: () => clock.now,
  });
  const replay = createReplay(sidecar, [poller], 3_600_000, options);
  onTestFinished(async () => {
    await replay.stop();
    poller.stop();
    writer.close();
  });
  /** Writes `price` for EURUSD at clock time `atMs` and lets the poller see it. */
  const priceAt = async (atMs: number, price: number) => {
    clock.now = atMs;
    writer.symbol('EURUSD', { price, position_size: 0 });
    poller.tick();
    await replay.recorder.settled(); // as between real ticks: the last record is stored
  };
  const priceOf = async (atMs: number) => {
    await replay.recorder.settled();
    return replay.view.at('main', atMs)?.snapshot.symbols.find((s) => s.symbol === 'EURUSD')?.price;
  };
  return { writer, poller, replay, clock, priceAt, priceOf, t0: clock.now };
}

const count = (db: Database.Database, table: string) =>
  (db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number) ?? 0;

describe('replay recording', () => {
  it('writes at most one record a second, holding the latest value of each key seen in it', async () => {
    const db = new Database(':memory:');
    const { replay, priceAt, priceOf, t0 } = recording(db);
    await priceAt(t0, 1.1);
    await priceAt(t0 + 200, 1.2);
    await priceAt(t0 + 400, 1.3);
    await replay.recorder.flushAll();
    expect(count(db, 'replay_records')).toBe(2);
    expect(await priceOf(t0 + 100)).toBe(1.1);
    expect(await priceOf(t0 + 400)).toBe(1.3);
  });

  it('rebuilds every moment the same whatever the keyframe spacing', async () => {
    const sparse = recording(new Database(':memory:'), { keyframeRatio: 1000 });
    const dense = recording(new Database(':memory:'), { keyframeRatio: 0.5 });
    for (let i = 0; i < 40; i++) {
      await sparse.priceAt(sparse.t0 + i * 1000, 1 + i / 100);
      await dense.priceAt(dense.t0 + i * 1000, 1 + i / 100);
    }
    for (let i = 0; i < 40; i++) {
      const expected = 1 + i / 100;
      expect(await sparse.priceOf(sparse.t0 + i * 1000 + 500)).toBe(expected);
      expect(await dense.priceOf(dense.t0 + i * 1000 + 500)).toBe(expected);
    }
  });

  it('a key removed by the engine is there before its removal and gone after it', async () => {
    const { writer, poller, replay, clock, priceAt, t0 } = recording(new Database(':memory:'));
    await priceAt(t0, 1.1);
    writer.update('note', { text: 'hello' });
    clock.now = t0 + 1000;
    poller.tick();
    await replay.recorder.settled(); // ticks are separate turns of the event loop
    writer.remove('note');
    clock.now = t0 + 2000;
    poller.tick();
    await replay.recorder.settled();
    const keys = (at: number) => replay.view.at('main', at)?.snapshot.keys.map((k) => k.key);
    expect(keys(t0 + 1500)).toContain('note');
    expect(keys(t0 + 2500)).not.toContain('note');
  });

  it('trades count from when they were seen, and the engine state at a moment is computed for that moment', async () => {
    const { writer, poller, replay, clock, priceAt, t0 } = recording(new Database(':memory:'));
    await priceAt(t0, 1.1);
    writer.heartbeat();
    clock.now = t0 + 1000;
    writer.recordTrade({ symbol: 'EURUSD', side: 'long', qty: 1, pnl: 5 });
    poller.tick();
    await replay.recorder.settled();
    expect(replay.view.at('main', t0 + 500)?.snapshot.recentTrades).toEqual([]);
    expect(replay.view.at('main', t0 + 1000)?.snapshot.recentTrades.map((t) => t.pnl)).toEqual([5]);
    expect(replay.view.marks('main').trades).toEqual([t0 + 1000]);
  });

  it('pruning keeps the retention: older moments go, the keyframe newer ones need stays', async () => {
    const db = new Database(':memory:');
    const { replay, priceAt, priceOf, t0 } = recording(db, { keyframeRatio: 2 });
    for (let i = 0; i < 120; i++) await priceAt(t0 + i * 1000, 1 + i / 1000);
    await replay.recorder.settled();
    const before = count(db, 'replay_records');
    // Retention is an hour: prune as of 1 h 1 min after t0, so the first minute is out.
    const removed = replay.prune(t0 + 3_660_000);
    expect(removed).toBeGreaterThan(0);
    expect(count(db, 'replay_records')).toBe(before - removed);
    const window = replay.view.window('main', t0 + 120_000);
    expect(window?.fromMs).toBeGreaterThan(t0);
    expect(window?.fromMs).toBeLessThanOrEqual(t0 + 60_000);
    expect(await priceOf((window?.fromMs ?? 0) - 1)).toBeUndefined(); // before the window: gone
    for (let i = 60; i < 120; i++) expect(await priceOf(t0 + i * 1000)).toBe(1 + i / 1000);
  });

  it('alerts active at a moment come from the stored lifecycle: pending, then firing, then gone', async () => {
    const db = new Database(':memory:');
    const alerts = new AlertStore(db);
    const { replay, priceAt, t0 } = recording(db);
    await priceAt(t0, 1.1);
    alerts.insert({
      key: 'stale|main|engine',
      rule: 'stale',
      engine: 'main',
      subject: 'engine',
      level: 'WARNING',
      state: 'resolved',
      value: null,
      threshold: null,
      message: 'main is stale',
      startedAtMs: t0 + 1000,
      firedAtMs: t0 + 2000,
      resolvedAtMs: t0 + 3000,
      ackedAtMs: null,
      notifiedAtMs: null,
    });
    const at = (ms: number) => replay.view.alertsAt('main', ms).map((a) => a.state);
    expect(at(t0 + 500)).toEqual([]);
    expect(at(t0 + 1500)).toEqual(['pending']);
    expect(at(t0 + 2500)).toEqual(['firing']);
    expect(at(t0 + 3500)).toEqual([]);
    expect(replay.view.marks('main').alerts).toEqual([[t0 + 2000, 'WARNING']]);
  });

  it('a sidecar deleted while replaying is recreated with everything recorded, and recording goes on in it', async () => {
    const path = freshDbPath();
    const dir = join(path, '..');
    const file = new SidecarFile(dir, 'sidecar.db', () => {});
    onTestFinished(() => file.close());
    const { replay, priceAt, priceOf, t0 } = recording(file.db);
    file.onReattach((db) => replay.attach(db));
    await priceAt(t0, 1.1);
    await priceAt(t0 + 1000, 1.2);
    await replay.recorder.settled();
    rmSync(join(dir, 'sidecar.db'));
    expect(file.check()).toBe(true);
    expect(await priceOf(t0 + 1500)).toBe(1.2);
    await priceAt(t0 + 2000, 1.3);
    expect(await priceOf(t0 + 2500)).toBe(1.3);
    await replay.recorder.settled();
    const reopened = new Database(join(dir, 'sidecar.db'), { readonly: true });
    expect(count(reopened, 'replay_records')).toBe(3);
    reopened.close();
  });
});
