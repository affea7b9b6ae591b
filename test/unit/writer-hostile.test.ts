import { describe, expect, it } from 'vitest';
import { MAX_JSON_DEPTH } from '../../src/contract/index.js';
import { StateWriter } from '../../src/state/index.js';
import { freshDbPath } from '../helpers/tmp.js';
import { collectReports, readEvents, readStatus } from '../helpers/writer.js';

/** Input that used to throw into the engine's loop (issue 11, item 9; issue 10, item 7). */
const throwingGetter = {
  price: 1,
  get boom(): number {
    throw new Error('getter exploded');
  },
};

const nested = (depth: number): Record<string, unknown> => {
  let value: Record<string, unknown> = { leaf: 1 };
  for (let i = 1; i < depth; i++) value = { a: value };
  return value;
};

for (const flushMs of [0, 20]) {
  const mode = flushMs ? 'write-behind' : 'immediate';

  describe(`StateWriter never throws into the engine loop (${mode} mode)`, () => {
    function open() {
      const path = freshDbPath();
      const { reports, onError } = collectReports();
      const writer = StateWriter.open(path, { onError, flushMs });
      return { path, reports, writer };
    }

    it('rejects each hostile input with a report and loses only that input', () => {
      const { path, reports, writer } = open();
      const calls: Array<() => unknown> = [
        () =>
          writer.recordTrade({
            symbol: 'EURUSD',
            side: 'long',
            pnl: 1,
            exit_time: Date.now() * 1e6,
          }),
        () => writer.recordTrade({ symbol: 'EURUSD', side: 'long', pnl: 1, entry_time: -1e20 }),
        () => writer.updateMany(null as never),
        () => writer.updateMany(undefined as never),
        () => writer.updateMany([1] as never),
        () => writer.update('getter', throwingGetter),
        () => writer.event('note', 'INFO', 'with a getter', throwingGetter),
        () =>
          writer.recordTrade({
            ...{ symbol: 'X', pnl: 1 },
            get side(): 'long' {
              throw new Error('no side');
            },
          }),
        () => writer.event('note', Object.create(null) as never, 'odd level'),
        () => writer.update('nothing', null as never),
        () => writer.update('deep', nested(MAX_JSON_DEPTH + 1)),
        () => writer.update('very_deep', nested(5000)),
        () => writer.recordTrade({ symbol: 'EURUSD', side: 'sideways' as never, pnl: 1 }),
      ];
      for (const call of calls) expect(call).not.toThrow();
      // The good writes around them all land.
      expect(writer.update('good', { ok: true })).toBe(true);
      expect(writer.update('at_limit', nested(MAX_JSON_DEPTH))).toBe(true);
      expect(writer.recordTrade({ symbol: 'EURUSD', side: 'Long', pnl: 2 })).toBe(true);
      expect(writer.recordTrade({ symbol: 'EURUSD', side: 'SELL' as never, pnl: -1 })).toBe(true);
      writer.close();
      expect(reports.map((r) => `${r.context.op}:${r.code}`)).toEqual([
        'trade:invalid-event', // epoch nanoseconds
        'trade:invalid-event', // entry time out of Date's range
        'update:invalid-entries', // null
        'update:invalid-entries', // undefined
        'update:invalid-entries', // [1]
        ...(flushMs ? [] : ['update:not-serialisable']), // the getter, at once
        'event:invalid-event', // the getter in event data
        'trade:invalid-event', // the getter on the trade
        'event:invalid-event', // Object.create(null) as level: stored as INFO, reported
        'update:not-object', // update(key, null) is not a removal
        ...(flushMs ? [] : ['update:too-deep', 'update:too-deep']),
        'trade:invalid-event', // 'sideways'
        ...(flushMs ? ['update:not-serialisable', 'update:too-deep', 'update:too-deep'] : []),
      ]);
      expect(reports.find((r) => r.code === 'too-deep')?.message).toMatch(/deeper than 64 levels/);
      expect(reports.map((r) => r.message)).toContainEqual(
        expect.stringMatching(/any case.*"sideways"/),
      );
      const status = readStatus(path);
      expect(Object.keys(status).sort()).toEqual(['at_limit', 'good']);
      const events = readEvents(path);
      expect(events.map((e) => [e.type, e.level, e.data.side ?? e.data.original_level])).toEqual([
        ['note', 'INFO', 'a object'],
        ['trade', null, 'long'],
        ['trade', null, 'short'],
      ]);
    });

    it('update(key, null) reports and keeps the key, as remove() is the way to delete', async () => {
      const { path, reports, writer } = open();
      writer.update('kept', { v: 1 });
      writer.flush();
      expect(writer.update('kept', null as never)).toBe(false);
      writer.flush();
      expect(readStatus(path).kept?.value).toEqual({ v: 1 });
      expect(reports.map((r) => r.code)).toEqual(['not-object']);
      expect(writer.remove('kept')).toBe(true);
      writer.close();
      expect(readStatus(path).kept).toBeUndefined();
    });
  });
}
