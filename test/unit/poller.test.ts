import { copyFileSync, renameSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { EnginePoller } from '../../src/reader/poller.js';
import { StateWriter } from '../../src/state/index.js';
import { naiveLocalIso, writePythonDesignDb } from '../helpers/engine-files.js';
import { freshDbPath } from '../helpers/tmp.js';

function poller(path: string, extra: Partial<ConstructorParameters<typeof EnginePoller>[0]> = {}) {
  return new EnginePoller({
    name: 'main',
    path,
    pollMs: 1000,
    staleAfterMs: 30_000,
    timeZone: 'UTC',
    ...extra,
  });
}

describe('EnginePoller: reading', () => {
  it('builds a snapshot with derived position fields', () => {
    const path = freshDbPath();
    const writer = StateWriter.open(path, { strict: true });
    writer.summary({ cash: 10_000, value: 10_150, currency: 'USD' });
    writer.symbol('EURUSD', {
      price: 1.1,
      position_size: 1000,
      position_price: 1.0,
      sl_price: 1.045,
      tp_price: 1.21,
      rsi14: 61.5,
    });
    writer.symbol('USDJPY', {
      price: 150,
      position_size: -100,
      position_price: 151,
      sl_price: 153,
      tp_price: 147,
    });
    writer.symbol('BTCUSD', { price: 65_000, position_size: 0 });
    writer.heartbeat();
    const p = poller(path);
    const s = p.tick();
    expect(s.state).toBe('live');
    expect(s.summary).toMatchObject({ cash: 10_000, equity: 10_150, currency: 'USD' });
    expect(s.symbols.map((x) => x.symbol)).toEqual(['BTCUSD', 'EURUSD', 'USDJPY']);
    expect(s.positions.map((x) => x.symbol)).toEqual(['EURUSD', 'USDJPY']);
    const [eur, jpy] = s.positions;
    expect(eur).toMatchObject({
      side: 'Long',
      unrealizedPnl: expect.closeTo(100, 9),
      indicators: { rsi14: 61.5 },
    });
    expect(eur?.slDistancePct).toBeCloseTo(5, 9); // (1.1 − 1.045) / 1.1
    expect(eur?.tpDistancePct).toBeCloseTo(10, 9); // (1.21 − 1.1) / 1.1
    expect(jpy).toMatchObject({ side: 'Short', unrealizedPnl: 100 });
    expect(jpy?.slDistancePct).toBeCloseTo(2, 9); // (153 − 150) / 150
    expect(jpy?.tpDistancePct).toBeCloseTo(2, 9); // (150 − 147) / 150
    writer.close();
    p.stop();
  });

  it('skips the read when nothing was committed, and reads again after a commit', () => {
    const path = freshDbPath();
    const writer = StateWriter.open(path);
    writer.update('summary', { cash: 1 });
    const p = poller(path);
    const first = p.tick();
    expect(p.reads).toBe(1);
    expect(p.tick()).toBe(first);
    expect(p.tick()).toBe(first);
    expect(p.reads).toBe(1);
    writer.update('summary', { cash: 2 });
    const second = p.tick();
    expect(p.reads).toBe(2);
    expect(second.version).toBe(first.version + 1);
    expect(second.summary?.cash).toBe(2);
    writer.close();
    p.stop();
  });

  it("serves a database written with the original design's SQL: naive local times, NaN, a malformed value", () => {
    const path = freshDbPath();
    const now = Date.UTC(2025, 7, 1, 0, 30, 20);
    writePythonDesignDb(
      path,
      {
        summary: '{"cash": 10000.0, "value": NaN, "daily_pnl": -Infinity}',
        chart_USDJPY:
          '{"price": 147.123, "position_size": 10000, "position_price": 147.0, "rsi14": NaN}',
        chart_BROKEN: '{"price": 1.2,',
        chart_LIST: '[1, 2, 3]',
        engine: '{"status": "running", "pid": 42}',
      },
      naiveLocalIso(now - 5000, 'Asia/Tokyo'),
    );
    const s = poller(path, { timeZone: 'Asia/Tokyo', now: () => now }).tick();
    expect(s.state).toBe('live'); // 5 s old in Tokyo time: would be 9 h off if read as UTC
    expect(s.lastUpdateMs).toBe(now - 5000);
    expect(s.summary).toMatchObject({ cash: 10_000, equity: null, dailyPnl: null });
    expect(s.positions.map((x) => [x.symbol, x.unrealizedPnl])).toEqual([
      ['USDJPY', expect.closeTo(1230, 6)],
    ]);
    const errors = Object.fromEntries(s.keys.filter((k) => k.error).map((k) => [k.key, k.error]));
    expect(Object.keys(errors)).toEqual(['chart_BROKEN', 'chart_LIST']);
    expect(errors.chart_BROKEN).toMatch(/invalid JSON/);
    expect(errors.chart_LIST).toBe('value is an array, not a JSON object');
    expect(s.schemaVersion).toBe(0);
  });

  it("computes today's trade statistics in the engine time zone", () => {
    const path = freshDbPath();
    const writer = StateWriter.open(path, { strict: true });
    // "Now" is 08:00 on 2 August in Tokyo (23:00 UTC on 1 August).
    const now = Date.UTC(2025, 7, 1, 23, 0);
    const trade = (hoursBeforeNow: number, pnl: number) =>
      writer.recordTrade({
        symbol: 'EURUSD',
        side: 'long',
        qty: 1,
        pnl,
        exit_time: now - hoursBeforeNow * 3600_000,
      });
    trade(10, 999); // 22:00 on 1 August, Tokyo: yesterday
    trade(7, 50); // 01:00 on 2 August, Tokyo: today
    trade(3, -20);
    trade(1, 80);
    trade(0.5, 0);
    writer.heartbeat();
    const s = poller(path, { timeZone: 'Asia/Tokyo', now: () => now, staleAfterMs: 1e12 }).tick();
    expect(s.day).toBe('2025-08-02');
    expect(s.today).toEqual({
      total: 4,
      winning: 2,
      losing: 1,
      winRate: 0.5,
      totalPnl: 110,
      largestWin: 80,
      largestLoss: -20,
    });
    expect(s.recentTrades).toHaveLength(5);
    writer.close();
  });

  it('marks an oversized value without loading it, and shows every other key', () => {
    const path = freshDbPath();
    const writer = StateWriter.open(path, { maxValueBytes: 20 * 1024 * 1024, strict: true });
    writer.update('chart_HUGE', { blob: 'x'.repeat(10 * 1024 * 1024) });
    writer.summary({ cash: 5 });
    const s = poller(path).tick();
    expect(s.keys.find((k) => k.key === 'chart_HUGE')).toMatchObject({
      raw: null,
      value: null,
      error: 'value is 10.0 MiB, over the 1.0 MiB display limit',
    });
    expect(s.summary?.cash).toBe(5);
    writer.close();
  });

  it('tails the journal by id and surfaces new events once', () => {
    const path = freshDbPath();
    const writer = StateWriter.open(path, { strict: true });
    writer.event('alert', 'ERROR', 'first');
    const p = poller(path);
    expect(p.tick().newEvents.map((e) => e.message)).toEqual(['first']);
    writer.event('alert', 'WARNING', 'second');
    writer.event('note', 'INFO', 'third');
    const s = p.tick();
    expect(s.newEvents.map((e) => [e.message, e.level])).toEqual([
      ['second', 'WARNING'],
      ['third', 'INFO'],
    ]);
    expect(s.recentEvents.map((e) => e.message)).toEqual(['first', 'second', 'third']);
    writer.close();
  });

  it('drops trades and events the writer pruned: a running poller then equals a fresh one', () => {
    const path = freshDbPath();
    const writer = StateWriter.open(path, { strict: true });
    const now = Date.now();
    const trade = (pnl: number) =>
      writer.recordTrade({ symbol: 'EURUSD', side: 'long', qty: 1, pnl, exit_time: now });
    for (const pnl of [1, 2, 3, 4, 5]) trade(pnl);
    writer.event('note', 'INFO', 'old note');
    const running = poller(path);
    expect(running.tick().recentTrades).toHaveLength(5);
    // As the writer's pruner does (DELETE FROM live_events WHERE id <= max(id) - N), from outside.
    const engine = new Database(path);
    engine.prepare('DELETE FROM live_events WHERE id <= 4').run();
    engine.close();
    trade(6);
    const kept = running.tick();
    const fresh = poller(path).tick();
    expect(kept.recentTrades.map((t) => t.pnl)).toEqual([5, 6]);
    expect(kept.recentTrades).toEqual(fresh.recentTrades);
    expect(kept.recentEvents).toEqual(fresh.recentEvents);
    expect(kept.today).toEqual(fresh.today);
    expect(running.tradesSince(0)).toHaveLength(2);
    writer.close();
    running.stop();
  });
});

describe('EnginePoller: the file misbehaves, the dashboard keeps going', () => {
  it('waits for a file that does not exist yet, then shows it', () => {
    const path = freshDbPath();
    const p = poller(path);
    expect(p.tick()).toMatchObject({
      state: 'waiting',
      stateReason: expect.stringMatching(/does not exist yet/),
    });
    const writer = StateWriter.open(path);
    expect(p.tick().state).toBe('waiting'); // the file exists, nothing written yet
    writer.heartbeat();
    expect(p.tick().state).toBe('live');
    writer.close();
  });

  it('reads a stopped WAL engine whose -wal and -shm files are gone', () => {
    const path = freshDbPath();
    const writer = StateWriter.open(path);
    writer.summary({ cash: 7 });
    writer.close(); // the last connection checkpoints and deletes -wal and -shm
    const s = poller(path).tick();
    expect(s.summary?.cash).toBe(7);
  });

  it('says a stopped engine over the copy limit is too large to read without its WAL, copies nothing, and follows it once it runs again', () => {
    const path = freshDbPath();
    const writer = StateWriter.open(path);
    writer.summary({ cash: 7 });
    writer.close(); // stopped cleanly: no -wal, the whole state is in the main file
    const p = poller(path, { maxCopyBytes: 1024 });
    const s = p.tick();
    expect(s.state).toBe('error');
    expect(s.problem).toMatchObject({ code: 'too-large' });
    expect(s.stateReason).toMatch(/stopped engine too large to read without its WAL/);
    const again = StateWriter.open(path); // the engine runs: its WAL is read in place
    again.summary({ cash: 8 });
    expect(p.tick().summary?.cash).toBe(8);
    again.close();
    p.stop();
  });

  it('goes back to waiting when the file is deleted, and recovers when it returns', () => {
    const path = freshDbPath();
    const writer = StateWriter.open(path);
    writer.heartbeat();
    writer.close();
    const p = poller(path);
    expect(p.tick().state).toBe('live');
    for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
    expect(p.tick()).toMatchObject({ state: 'waiting', keys: [] });
    const again = StateWriter.open(path);
    again.heartbeat({ version: 'v2' });
    expect(p.tick().heartbeat?.version).toBe('v2');
    again.close();
  });

  it('notices a file replaced by another one and reopens it', () => {
    const path = freshDbPath();
    const other = `${path}.new`;
    const a = StateWriter.open(path);
    a.summary({ cash: 1 });
    a.close();
    const b = StateWriter.open(other);
    b.summary({ cash: 2 });
    b.event('note', 'INFO', 'from b');
    b.close();
    const p = poller(path);
    expect(p.tick().summary?.cash).toBe(1);
    renameSync(other, path);
    const s = p.tick();
    expect(s.summary?.cash).toBe(2);
    expect(s.newEvents.map((e) => e.message)).toEqual(['from b']);
  });

  it('reports a row that is not text once, however often the engine rewrites it, and keeps every good key', () => {
    const path = freshDbPath();
    const db = new Database(path);
    db.exec('CREATE TABLE live_status (key PRIMARY KEY, value, updated_at)');
    const put = db.prepare('INSERT OR REPLACE INTO live_status VALUES (?, ?, ?)');
    put.run('summary', '{"cash": 9}', new Date().toISOString());
    const reports: string[] = [];
    const p = poller(path, { report: (message) => reports.push(message) });
    for (let i = 0; i < 5; i++) {
      put.run(7, '{"x": 1}', new Date(Date.now() + i).toISOString());
      const s = p.tick();
      expect(s.summary?.cash).toBe(9);
      expect(s.keys.find((k) => k.key === '(the integer 7 key)')?.error).toMatch(/not text/);
    }
    db.close();
    expect(reports).toEqual([
      'key "(the integer 7 key)" cannot be shown: key is the integer 7, not text: the row cannot be addressed by name',
    ]);
  });

  it('tolerates a lock shorter than 5 s however many polls meet it, reports one that lasts, keeps the last good state, and recovers', () => {
    // The original design's default rollback journal: a writer's exclusive lock blocks readers.
    // A busy engine commits thousands of times a second, so many polls in a row can meet a lock.
    const path = freshDbPath();
    writePythonDesignDb(path, { summary: '{"cash": 3}' }, new Date().toISOString());
    let now = Date.now();
    const p = poller(path, { now: () => now });
    expect(p.tick().summary?.cash).toBe(3);
    const locker = new Database(path);
    locker.exec('BEGIN EXCLUSIVE');
    locker.exec(`UPDATE live_status SET value = '{"cash": 4}'`);
    for (let i = 0; i < 10; i++) {
      now += 450; // ten polls over 4.5 s, every one locked out
      expect(p.tick().problem).toBeNull(); // not worth a warning (nor an alert) yet
    }
    now += 1000; // 5.05 s since the first locked poll
    const locked = p.tick();
    expect(locked).toMatchObject({
      state: 'error',
      problem: { kind: 'error', code: 'locked' },
      stateReason: expect.stringMatching(/locked/),
    });
    expect(locked.summary?.cash).toBe(3);
    locker.exec('COMMIT');
    locker.close();
    expect(p.tick()).toMatchObject({ problem: null, state: 'live', summary: { cash: 4 } });
  });

  it('reports a corrupt or non-SQLite file and recovers when a good one is back', () => {
    const path = freshDbPath();
    const good = `${path}.good`;
    const writer = StateWriter.open(path);
    writer.heartbeat();
    writer.close();
    copyFileSync(path, good);
    const p = poller(path);
    expect(p.tick().state).toBe('live');
    writeFileSync(path, 'this is not a database, just some text'.repeat(200));
    expect(p.tick()).toMatchObject({
      state: 'error',
      problem: { code: 'corrupt' },
      stateReason: expect.stringMatching(/not a readable SQLite database/),
    });
    truncateSync(path, 10);
    expect(p.tick()).toMatchObject({ state: 'error' });
    copyFileSync(good, path);
    expect(p.tick()).toMatchObject({ state: 'live', problem: null });
  });

  it('says clearly that a newer schema version is not understood', () => {
    const path = freshDbPath();
    const db = new Database(path);
    db.exec(
      'CREATE TABLE live_status (key TEXT PRIMARY KEY, value TEXT NOT NULL, updated_at TEXT NOT NULL)',
    );
    db.pragma('user_version = 7');
    db.close();
    expect(poller(path).tick()).toMatchObject({
      state: 'error',
      problem: { code: 'too-new' },
      stateReason: expect.stringMatching(/version 7 is newer/),
    });
  });

  it('turns stale, then down, with time alone, and the heartbeat can say it stopped', () => {
    const path = freshDbPath();
    const writer = StateWriter.open(path);
    writer.heartbeat();
    let now = Date.now();
    const p = poller(path, { now: () => now, staleAfterMs: 1000 });
    const live = p.tick();
    expect(live.state).toBe('live');
    now += 1500;
    const stale = p.tick();
    expect(stale).toMatchObject({ state: 'stale', version: live.version + 1 });
    expect(p.reads).toBe(1); // a state change, not a read
    now += 10_000;
    expect(p.tick().state).toBe('down');
    writer.heartbeat({ status: 'stopped' });
    now = Date.now();
    expect(p.tick()).toMatchObject({
      state: 'down',
      stateReason: expect.stringMatching(/reported "stopped"/),
    });
    writer.heartbeat({ status: 'error' });
    expect(p.tick().state).toBe('error');
    writer.close();
  });

  it('measures liveness on its own clock: timestamps 9 h ahead neither keep a silent engine live nor go unwarned', () => {
    const path = freshDbPath();
    let now = Date.now();
    // Naive Tokyo time read as UTC: every updated_at lies 9 h in the future.
    writePythonDesignDb(
      path,
      { engine: '{"status": "running"}' },
      naiveLocalIso(now, 'Asia/Tokyo'),
    );
    const p = poller(path, { now: () => now, staleAfterMs: 1000, timeZone: 'UTC' });
    const first = p.tick();
    expect(first).toMatchObject({
      state: 'live',
      clockSkewMs: 9 * 3_600_000,
      clockWarning: expect.stringMatching(
        /^the engine's timestamps are 9 h ahead of this dashboard's clock/,
      ),
    });
    now += 1500; // nothing written since
    expect(p.tick()).toMatchObject({
      state: 'stale',
      stateReason: expect.stringMatching(
        /^no change seen since \d\d:\d\d:\d\d \(stale after 1 s\)$/,
      ),
      clockSkewMs: 9 * 3_600_000, // still said while it is silent
    });
  });

  it('writes the times of its reasons 12-hour with --clock 12h', () => {
    const path = freshDbPath();
    writePythonDesignDb(path, { engine: '{"status": "running"}' }, new Date().toISOString());
    let now = Date.now();
    const p = poller(path, { now: () => now, staleAfterMs: 1000, timeZone: 'UTC', hour12: true });
    p.tick();
    now += 1500;
    expect(p.tick().stateReason).toMatch(/^no change seen since \d{1,2}:\d\d:\d\d\s?[ap]m /i);
  });

  it("takes a file's modification time as its last change on first sight: a long-dead engine is not live", () => {
    const path = freshDbPath();
    writePythonDesignDb(path, { engine: '{"status": "running"}' }, new Date().toISOString());
    const now = Date.now() + 3_600_000; // the dashboard starts an hour after the last write
    expect(poller(path, { now: () => now, staleAfterMs: 30_000 }).tick().state).toBe('down');
  });

  it('handles thousands of keys', () => {
    const path = freshDbPath();
    const writer = StateWriter.open(path);
    writer.updateMany(
      Array.from(
        { length: 5000 },
        (_, i) => [`chart_S${i}`, { price: i, position_size: i % 2 }] as const,
      ),
    );
    const s = poller(path).tick();
    expect(s.symbols).toHaveLength(5000);
    expect(s.positions).toHaveLength(2500);
    writer.close();
  });
});
