import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { createRateLimitedStderrReporter } from '../../src/state/errors.js';
import { StateWriter, StateWriterError } from '../../src/state/index.js';
import { freshDbPath } from '../helpers/tmp.js';
import { collectReports, readEvents, readStatus } from '../helpers/writer.js';

const circular: Record<string, unknown> = { a: 1 };
circular.self = circular;

/** Each bad input, the code it is reported with, and whether it is repaired (still written). */
const BAD_INPUTS: Array<{
  name: string;
  key: string;
  value: unknown;
  code: string;
  repairedTo?: unknown;
}> = [
  { name: 'empty key', key: '', value: { a: 1 }, code: 'invalid-key' },
  { name: 'key too long', key: 'k'.repeat(257), value: { a: 1 }, code: 'invalid-key' },
  {
    name: 'key with a control character',
    key: 'chart_\nEURUSD',
    value: { a: 1 },
    code: 'invalid-key',
  },
  { name: 'circular value', key: 'circ', value: circular, code: 'not-serialisable' },
  { name: 'BigInt value', key: 'big', value: { n: 10n }, code: 'not-serialisable' },
  {
    name: 'a function field',
    key: 'fn',
    value: { price: 1, f: () => 1 },
    code: 'not-serialisable',
    repairedTo: { price: 1 },
  },
  { name: 'a function as the value', key: 'fnv', value: () => 1, code: 'not-object' },
  { name: 'an array', key: 'arr', value: [1, 2], code: 'not-object' },
  { name: 'null', key: 'nul', value: null, code: 'not-object' },
  { name: 'a number', key: 'num', value: 42, code: 'not-object' },
  {
    name: 'non-finite numbers',
    key: 'nan',
    value: { pnl: Number.NaN, dd: [Number.POSITIVE_INFINITY] },
    code: 'non-finite',
    repairedTo: { pnl: null, dd: [null] },
  },
  {
    name: 'a value over the size limit',
    key: 'huge',
    value: { blob: 'x'.repeat(2000) },
    code: 'too-large',
  },
];

describe('StateWriter: bad input', () => {
  for (const bad of BAD_INPUTS) {
    it(`${bad.name}: reported with code ${bad.code}, other keys still written`, () => {
      const path = freshDbPath();
      const { reports, onError } = collectReports();
      const writer = StateWriter.open(path, { onError, maxValueBytes: 1000 });
      writer.update('before', { ok: 1 });
      const accepted = writer.update(bad.key, bad.value as object);
      writer.update('after', { ok: 2 });
      writer.close();
      expect(reports).toHaveLength(1);
      expect(reports[0]).toMatchObject({ code: bad.code, context: { op: 'update', key: bad.key } });
      const status = readStatus(path);
      expect(status.before?.value).toEqual({ ok: 1 });
      expect(status.after?.value).toEqual({ ok: 2 });
      if (bad.repairedTo) {
        expect(accepted).toBe(true);
        expect(status[bad.key]?.value).toEqual(bad.repairedTo);
      } else {
        expect(accepted).toBe(false);
        expect(Object.keys(status).sort()).toEqual(['after', 'before']);
      }
    });

    it(`${bad.name}: strict mode throws StateWriterError(${bad.code}) and writes nothing`, () => {
      const path = freshDbPath();
      const writer = StateWriter.open(path, { strict: true, maxValueBytes: 1000 });
      expect(() => writer.update(bad.key, bad.value as object)).toThrow(StateWriterError);
      writer.close();
      expect(readStatus(path)).toEqual({});
    });
  }

  it('updateMany writes the good entries in one transaction and reports the bad one', () => {
    const path = freshDbPath();
    const { reports, onError } = collectReports();
    const writer = StateWriter.open(path, { onError });
    const written = writer.updateMany({ a: { n: 1 }, bad: [1] as unknown as object, c: { n: 3 } });
    writer.close();
    expect(written).toBe(2);
    expect(reports.map((r) => r.context.key)).toEqual(['bad']);
    expect(Object.keys(readStatus(path)).sort()).toEqual(['a', 'c']);
  });

  it('a closed writer reports and ignores further calls', () => {
    const path = freshDbPath();
    const { reports, onError } = collectReports();
    const writer = StateWriter.open(path, { onError });
    writer.close();
    expect(writer.update('a', { n: 1 })).toBe(false);
    expect(writer.event('note', 'INFO', 'x')).toBe(false);
    writer.close();
    expect(reports.map((r) => r.code)).toEqual(['closed', 'closed']);
  });

  it('a failing write (SQLite error) is reported and loses only that write', () => {
    const path = freshDbPath();
    const { reports, onError } = collectReports();
    const writer = StateWriter.open(path, { onError, busyTimeoutMs: 10 });
    // Hold the write lock from another connection, as another process could.
    const blocker = new Database(path);
    blocker.exec('BEGIN IMMEDIATE');
    expect(writer.update('lost', { n: 1 })).toBe(false);
    blocker.exec('COMMIT');
    blocker.close();
    expect(writer.update('kept', { n: 2 })).toBe(true);
    writer.close();
    expect(reports).toMatchObject([{ code: 'write-failed', context: { key: 'lost' } }]);
    expect(reports[0]?.message).toMatch(/locked|busy/i);
    expect(Object.keys(readStatus(path))).toEqual(['kept']);
  });

  it('a throwing onError does not throw into the caller', () => {
    const writer = StateWriter.open(freshDbPath(), {
      onError: () => {
        throw new Error('bad callback');
      },
    });
    expect(writer.update('', { n: 1 })).toBe(false);
    writer.close();
  });

  it('the default reporter prints one line per code per interval and counts the rest', () => {
    const lines: string[] = [];
    const report = createRateLimitedStderrReporter(60_000, (line) => lines.push(line));
    const error = new StateWriterError('invalid-key', 'key must be a non-empty string');
    for (let i = 0; i < 5; i++) report(error, { op: 'update', key: '' });
    report(new StateWriterError('too-large', 'big'), { op: 'update', key: 'k' });
    expect(lines).toEqual([
      'tradewatch/state: update "": invalid-key: key must be a non-empty string\n',
      'tradewatch/state: update "k": too-large: big\n',
    ]);
  });
});

describe('StateWriter: journal', () => {
  it('records trades with normalised side and UTC times, and events with levels', () => {
    const path = freshDbPath();
    const writer = StateWriter.open(path, { strict: true });
    writer.recordTrade({
      symbol: 'EURUSD',
      side: 'buy',
      qty: 1000,
      pnl: 12.5,
      entry_time: '2025-08-01T09:00:00Z',
      exit_time: new Date('2025-08-01T10:00:00Z'),
      exit_reason: 'take-profit',
      strategy: 'rsi',
    });
    // @ts-expect-error plain JavaScript may pass an alias; TypeScript callers must use a Level.
    writer.event('alert', 'warn', 'margin low', { symbol: 'EURUSD', margin_level: 140 });
    writer.close();
    const [trade, alert] = readEvents(path);
    expect(trade).toMatchObject({
      type: 'trade',
      symbol: 'EURUSD',
      level: null,
      ts: '2025-08-01T10:00:00.000Z',
    });
    expect(trade?.data).toEqual({
      symbol: 'EURUSD',
      side: 'long',
      qty: 1000,
      pnl: 12.5,
      entry_time: '2025-08-01T09:00:00.000Z',
      exit_time: '2025-08-01T10:00:00.000Z',
      exit_reason: 'take-profit',
      strategy: 'rsi',
    });
    expect(alert).toMatchObject({
      type: 'alert',
      level: 'WARNING',
      symbol: 'EURUSD',
      data: { message: 'margin low', margin_level: 140 },
    });
  });

  it('keeps an event with an unknown level as INFO, with the original level, and reports it', () => {
    const path = freshDbPath();
    const { reports, onError } = collectReports();
    const writer = StateWriter.open(path, { onError });
    // @ts-expect-error an unknown level compiles only in plain JavaScript.
    expect(writer.event('note', 'LOUD', 'hello')).toBe(true);
    writer.close();
    expect(reports.map((r) => r.code)).toEqual(['invalid-event']);
    expect(readEvents(path)[0]).toMatchObject({
      level: 'INFO',
      data: { message: 'hello', original_level: 'LOUD' },
    });
  });

  it('rejects trades without a symbol, a side or a finite pnl, or with a non-text exit_reason', () => {
    const path = freshDbPath();
    const { reports, onError } = collectReports();
    const writer = StateWriter.open(path, { onError });
    expect(writer.recordTrade({ symbol: '', side: 'long', pnl: 1 })).toBe(false);
    expect(writer.recordTrade({ symbol: 'X', side: 'up' as 'long', pnl: 1 })).toBe(false);
    expect(writer.recordTrade({ symbol: 'X', side: 'long', pnl: Number.NaN })).toBe(false);
    expect(writer.recordTrade({ symbol: 'X', side: 'long', pnl: 1, exit_time: 'soon' })).toBe(
      false,
    );
    expect(
      writer.recordTrade({ symbol: 'X', side: 'long', pnl: 1, exit_reason: 42 as never }),
    ).toBe(false);
    writer.close();
    expect(reports.map((r) => r.code)).toEqual([
      'invalid-event',
      'invalid-event',
      'invalid-event',
      'invalid-event',
      'invalid-event',
    ]);
    expect(readEvents(path)).toEqual([]);
  });

  it('prunes the journal by count and by age, not on every insert', () => {
    const path = freshDbPath();
    const writer = StateWriter.open(path, { eventMaxRows: 100, strict: true });
    for (let i = 0; i < 999; i++) writer.event('note', 'INFO', `n${i}`);
    // open() pruned; the next prune comes after 1000 inserts (or a minute).
    expect(readEvents(path)).toHaveLength(999);
    writer.event('note', 'INFO', 'n999');
    expect(readEvents(path).map((e) => e.data.message)).toEqual(
      Array.from({ length: 100 }, (_, i) => `n${900 + i}`),
    );
    writer.recordTrade({
      symbol: 'OLD',
      side: 'long',
      pnl: 1,
      exit_time: Date.now() - 8 * 24 * 3600_000,
    });
    writer.close();
    expect(readEvents(path).some((e) => e.symbol === 'OLD')).toBe(true);
    StateWriter.open(path).close(); // open prunes
    expect(readEvents(path).some((e) => e.symbol === 'OLD')).toBe(false);
  });
});

describe('StateWriter: typed helpers', () => {
  it('writes summary, chart_<symbol>, engine heartbeat and broker keys', () => {
    const path = freshDbPath();
    const writer = StateWriter.open(path, { strict: true });
    writer.summary({ cash: 10_000, value: 10_250, currency: 'USD' });
    writer.symbol('EURUSD', { price: 1.08421, position_size: -1000 });
    writer.heartbeat({ version: '1.2.3', mode: 'paper' });
    writer.broker({ connected: true, server: 'demo' });
    writer.remove('chart_EURUSD');
    writer.symbol('USDJPY', { price: 147.1 });
    writer.close();
    const status = readStatus(path);
    expect(Object.keys(status).sort()).toEqual(['broker', 'chart_USDJPY', 'engine', 'summary']);
    expect(status.engine?.value).toMatchObject({
      status: 'running',
      pid: process.pid,
      version: '1.2.3',
      mode: 'paper',
      started_at: expect.stringMatching(/Z$/),
    });
  });
});
