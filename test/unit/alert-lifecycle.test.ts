import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { parseAlertSetting, resolveRules } from '../../src/contract/alert-rules.js';
import { AlertEvaluator } from '../../src/monitor/alerts/evaluator.js';
import { type AlertChange, AlertManager } from '../../src/monitor/alerts/manager.js';
import { AlertStore } from '../../src/monitor/alerts/store.js';
import { EnginePoller } from '../../src/reader/poller.js';
import { StateWriter } from '../../src/state/index.js';
import { writePythonDesignDb } from '../helpers/engine-files.js';
import { hostSample } from '../helpers/host-sample.js';
import { freshDbPath } from '../helpers/tmp.js';

const T0 = Date.parse('2026-03-02T10:00:00Z');

/** A manager over a real sidecar file; `changes` records every transition. */
function managerOver(path: string, settings: string[] = []) {
  const db = new Database(path);
  const manager = new AlertManager(
    new AlertStore(db),
    resolveRules(settings.map(parseAlertSetting)),
  );
  const changes: string[] = [];
  manager.on('change', ({ alert, to }: AlertChange) =>
    changes.push(`${alert.rule}:${alert.subject}:${to}`),
  );
  return { db, manager, evaluator: new AlertEvaluator(manager), changes };
}

describe('alert lifecycle on host rules', () => {
  it('goes pending, fires only after the whole `for`, and one good sample cancels a pending alert', () => {
    const { manager, evaluator, changes } = managerOver(join(freshDbPath(), '..', 'side.db'));
    evaluator.host(hostSample(T0, { cpu: 95 }));
    expect(manager.active()[0]).toMatchObject({ rule: 'cpu', state: 'pending', value: 95 });
    evaluator.host(hostSample(T0 + 30_000, { cpu: 50 })); // one false evaluation resets it
    expect(manager.active()).toEqual([]);
    expect(changes).toEqual(['cpu:host:pending', 'cpu:host:cancelled']);

    evaluator.host(hostSample(T0 + 40_000, { cpu: 90 }));
    evaluator.host(hostSample(T0 + 99_000, { cpu: 90 })); // 59 s: still pending (for = 1m)
    expect(manager.active()[0]?.state).toBe('pending');
    evaluator.host(hostSample(T0 + 100_000, { cpu: 90 }));
    expect(manager.active()[0]).toMatchObject({ state: 'firing', firedAtMs: T0 + 100_000 });
  });

  it('does not flap around the threshold: it resolves only below the clear value', () => {
    const { manager, evaluator, changes } = managerOver(join(freshDbPath(), '..', 'side.db'), [
      'cpu.for=0',
    ]);
    const values = [81, 79, 81, 79.9, 71, 70.5, 80.5, 69.9, 79];
    values.forEach((cpu, i) => {
      evaluator.host(hostSample(T0 + i * 5000, { cpu }));
    });
    // Fired once at 81, held through 79…70.5 and 80.5, resolved at 69.9; 79 stays below 80.
    expect(changes).toEqual(['cpu:host:pending', 'cpu:host:firing', 'cpu:host:resolved']);
    expect(manager.active()).toEqual([]);
  });

  it('keeps one alert per rule and subject, per mount for disks', () => {
    const { manager, evaluator } = managerOver(join(freshDbPath(), '..', 'side.db'));
    for (let i = 0; i < 5; i++)
      evaluator.host(hostSample(T0 + i * 5000, { disks: { '/': 95, '/data': 97, '/boot': 20 } }));
    expect(manager.active().map((a) => [a.subject, a.state, a.level])).toEqual([
      ['/data', 'firing', 'ERROR'],
      ['/', 'firing', 'ERROR'],
    ]);
    expect(manager.list(100)).toHaveLength(2);
  });

  it('leaves an alert alone when its metric cannot be read', () => {
    const { manager, evaluator } = managerOver(join(freshDbPath(), '..', 'side.db'), ['cpu.for=0']);
    evaluator.host(hostSample(T0, { cpu: 99 }));
    evaluator.host(hostSample(T0 + 5000, { cpu: null }));
    expect(manager.active()[0]).toMatchObject({ rule: 'cpu', state: 'firing' });
  });

  it('survives a restart: firing alerts, acknowledgements and history are read back', () => {
    const path = join(freshDbPath(), '..', 'side.db');
    const first = managerOver(path, ['cpu.for=0']);
    first.evaluator.host(hostSample(T0, { cpu: 99, memory: 95 }));
    first.evaluator.host(hostSample(T0 + 60_000, { cpu: 99, memory: 95 }));
    const cpu = first.manager.active().find((a) => a.rule === 'cpu');
    expect(first.manager.ack(cpu?.id ?? -1)?.ackedAtMs).not.toBeNull();
    first.db.close();

    const second = managerOver(path, ['cpu.for=0']);
    expect(second.manager.active().map((a) => [a.rule, a.state, a.ackedAtMs !== null])).toEqual([
      ['memory', 'firing', false],
      ['cpu', 'firing', true],
    ]);
    second.evaluator.host(hostSample(T0 + 65_000, { cpu: 10, memory: 10 }));
    expect(second.changes.sort()).toEqual(['cpu:host:resolved', 'memory:host:resolved']);
    const history = new AlertStore(second.db).transitions(cpu?.id ?? -1);
    expect(history.map((t) => `${t.from}->${t.to}`)).toEqual([
      'null->pending',
      'pending->firing',
      'firing->acked',
      'firing->resolved',
    ]);
  });

  it('answers ack only for active alerts', () => {
    const { manager, evaluator } = managerOver(join(freshDbPath(), '..', 'side.db'), [
      'disk.for=0',
    ]);
    evaluator.host(hostSample(T0, { disks: { '/': 99 } }));
    const id = manager.active()[0]?.id ?? -1;
    evaluator.host(hostSample(T0 + 5000, { disks: { '/': 10 } }));
    expect(manager.ack(id)).toBeNull();
    expect(manager.ack(12345)).toBeNull();
  });
});

describe('alert lifecycle on engine rules', () => {
  function engine(path: string, clock: { now: number }) {
    const writer = StateWriter.open(path);
    const poller = new EnginePoller({
      name: 'main',
      path,
      pollMs: 1000,
      staleAfterMs: 10_000,
      timeZone: 'UTC',
      now: () => clock.now,
    });
    return { writer, poller };
  }

  it('mutes data rules while the engine is stale (one CRITICAL, the loss alert held), then each resolved alert says what resolved it and is never muted', () => {
    const clock = { now: Date.now() };
    const { writer, poller } = engine(freshDbPath(), clock);
    const { manager, evaluator, changes } = managerOver(join(freshDbPath(), '..', 'side.db'));
    writer.heartbeat({ status: 'running' });
    writer.summary({ equity: 90_000, currency: 'USD' });
    writer.symbol('EURUSD', { price: 1.0, position_size: 200_000, position_price: 1.2 }); // −40,000
    writer.broker({ connected: false, server: 'demo' });
    evaluator.snapshot(poller.tick(), clock.now);
    expect(
      manager
        .active()
        .map((a) => `${a.rule}:${a.state}:${a.level}`)
        .sort(),
    ).toEqual([
      'broker:firing:ERROR',
      'daily-loss:firing:CRITICAL',
      'position-loss:firing:WARNING',
    ]);

    clock.now += 15_000; // nothing written: stale
    const stale = poller.tick();
    expect(stale.state).toBe('stale');
    evaluator.snapshot(stale, clock.now);
    const active = manager.active();
    expect(active[0]).toMatchObject({ rule: 'stale', level: 'CRITICAL', state: 'firing' });
    expect(active.filter((a) => a.rule !== 'stale').every((a) => manager.isMuted(a))).toBe(true);
    // The position was closed meanwhile, but the engine cannot say so: nothing resolves.
    writer.symbol('EURUSD', { price: 1.0, position_size: 0 });
    writer.broker({ connected: true, server: 'demo' });
    clock.now = Date.now(); // the engine's clock again: it just wrote
    changes.length = 0;
    const back = poller.tick();
    expect(back.state).toBe('live');
    evaluator.snapshot(back, clock.now);
    expect(changes.sort()).toEqual([
      'broker:broker:resolved',
      'daily-loss:today:resolved',
      'position-loss:EURUSD:resolved',
      'stale:engine:resolved',
    ]);
    // Each resolved alert says what resolved it, not the value it last fired with.
    const resolved = Object.fromEntries(
      manager.list(20, 'resolved').map((a) => [a.rule, a.message]),
    );
    expect(resolved).toMatchObject({
      'position-loss': 'Resolved: EURUSD position closed',
      broker: 'Resolved: broker connected again',
      stale: expect.stringMatching(
        /^Resolved: engine main is live again: last change seen at \d\d:\d\d:\d\d$/,
      ),
      'daily-loss': "Resolved: today's P&L is now 0 USD realized + unrealized",
    });
    // A resolved alert is history: never tagged muted, even while its engine is stale again.
    manager.setMuted('main', true);
    expect(manager.list(20, 'resolved').some((a) => manager.isMuted(a))).toBe(false);
    writer.close();
  });

  it('raises, keeps and resolves alerts the engine writes to its journal', () => {
    const clock = { now: Date.now() };
    const { writer, poller } = engine(freshDbPath(), clock);
    const { manager, evaluator } = managerOver(join(freshDbPath(), '..', 'side.db'), [
      'engine-alert.expire=10m',
    ]);
    writer.heartbeat({ status: 'running' });
    writer.event('alert', 'ERROR', 'Order rejected: insufficient margin', { key: 'margin-call' });
    writer.event('alert', 'WARNING', 'Spread is wide', { symbol: 'EURUSD' });
    writer.event('note', 'ERROR', 'not an alert: a note');
    const first = poller.tick();
    evaluator.snapshot(first, clock.now);
    evaluator.snapshot(first, clock.now); // the same snapshot again raises nothing new
    expect(manager.active().map((a) => [a.subject, a.level])).toEqual([
      ['margin-call', 'ERROR'],
      ['message:EURUSD: Spread is wide', 'WARNING'],
    ]);

    // 11 minutes later for the rules (the engine itself stays live on the real clock): the
    // unkeyed alert expires; the keyed one waits for its resolve.
    writer.heartbeat({ status: 'running' });
    evaluator.snapshot(poller.tick(), clock.now + 11 * 60_000);
    expect(manager.active().map((a) => a.subject)).toEqual(['margin-call']);

    writer.event('alert', 'INFO', 'Margin restored', { key: 'margin-call', resolved: true });
    evaluator.snapshot(poller.tick(), clock.now + 11 * 60_000);
    expect(manager.active()).toEqual([]);
    writer.close();
  });

  it('a rollback-journal engine whose lock keeps a few polls out never fires the database alert (default for = 15 s)', () => {
    const clock = { now: Date.now() };
    const path = freshDbPath();
    writePythonDesignDb(
      path,
      { engine: '{"status": "running"}' },
      new Date(clock.now).toISOString(),
    );
    const poller = new EnginePoller({
      name: 'main',
      path,
      pollMs: 1000,
      staleAfterMs: 60_000,
      timeZone: 'UTC',
      now: () => clock.now,
    });
    const { manager, evaluator, changes } = managerOver(join(freshDbPath(), '..', 'side.db'));
    evaluator.snapshot(poller.tick(), clock.now);
    const locker = new Database(path);
    for (let burst = 0; burst < 3; burst++) {
      // Locked for 6 s of polls (long enough for the reader to say so), then free again.
      locker.exec('BEGIN EXCLUSIVE');
      locker.exec(`UPDATE live_status SET updated_at = '${new Date(clock.now).toISOString()}'`);
      for (let i = 0; i < 6; i++) {
        clock.now += 1000;
        evaluator.snapshot(poller.tick(), clock.now);
      }
      expect(poller.snapshot.problem?.message).toMatch(/locked/);
      locker.exec('COMMIT');
      clock.now += 1000;
      evaluator.snapshot(poller.tick(), clock.now);
      expect(poller.snapshot.problem).toBeNull();
    }
    locker.close();
    expect(changes.filter((c) => c.startsWith('database:'))).toEqual([
      'database:engine:pending',
      'database:engine:cancelled',
      'database:engine:pending',
      'database:engine:cancelled',
      'database:engine:pending',
      'database:engine:cancelled',
    ]);
    expect(manager.active()).toEqual([]);
  });

  it('alerts once when the database becomes unreadable, and when it vanishes after being live', async () => {
    const clock = { now: Date.now() };
    const path = freshDbPath();
    const { writer, poller } = engine(path, clock);
    const { manager, evaluator } = managerOver(join(freshDbPath(), '..', 'side.db'));
    writer.heartbeat({ status: 'error' });
    evaluator.snapshot(poller.tick(), clock.now);
    expect(manager.active().map((a) => a.rule)).toEqual(['engine-error']);
    writer.close();
    const { rmSync, writeFileSync } = await import('node:fs');
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true });
    clock.now += 1000;
    evaluator.snapshot(poller.tick(), clock.now);
    expect(manager.active().map((a) => `${a.rule}:${a.level}`)).toEqual([
      'database:CRITICAL',
      'engine-error:ERROR', // muted, held
    ]);
    writeFileSync(path, 'this is not a database, just text that is long enough'.repeat(100));
    clock.now += 1000;
    evaluator.snapshot(poller.tick(), clock.now);
    expect(manager.active().filter((a) => a.rule === 'database')).toHaveLength(1);
    expect(manager.active()[0]?.message).toMatch(/Cannot read main's database/);
  });
});
