import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { StateWriter } from '../../src/state/index.js';
import { freshDbPath } from '../helpers/tmp.js';
import { collectReports, readEvents, readStatus } from '../helpers/writer.js';

describe('StateWriter write-behind', () => {
  it('keeps only the latest value per key and writes nothing before the flush', () => {
    const path = freshDbPath();
    const writer = StateWriter.open(path, { flushMs: 60_000, strict: true });
    writer.update('a', { n: 1 });
    writer.update('a', { n: 2 });
    writer.update('b', { n: 1 });
    writer.remove('b');
    writer.event('note', 'INFO', 'queued');
    expect(writer.pendingCount).toBe(3);
    expect(readStatus(path)).toEqual({});
    expect(writer.flush()).toBe(true);
    expect(writer.pendingCount).toBe(0);
    expect(
      Object.fromEntries(Object.entries(readStatus(path)).map(([k, v]) => [k, v.value])),
    ).toEqual({ a: { n: 2 } });
    expect(readEvents(path).map((e) => e.data.message)).toEqual(['queued']);
    writer.close();
  });

  it('flushes by itself after flushMs', async () => {
    const path = freshDbPath();
    const writer = StateWriter.open(path, { flushMs: 20 });
    writer.update('a', { n: 1 });
    await expect.poll(() => writer.pendingCount, { interval: 5, timeout: 2000 }).toBe(0);
    expect(readStatus(path).a?.value).toEqual({ n: 1 });
    writer.close();
  });

  it('flushes on close', () => {
    const path = freshDbPath();
    const writer = StateWriter.open(path, { flushMs: 60_000 });
    writer.update('a', { n: 1 });
    writer.close();
    expect(readStatus(path).a?.value).toEqual({ n: 1 });
  });

  it('keeps pending values after a failed flush and writes them on the retry', () => {
    const path = freshDbPath();
    const { reports, onError } = collectReports();
    const writer = StateWriter.open(path, { flushMs: 60_000, onError, busyTimeoutMs: 10 });
    writer.update('a', { n: 1 });
    writer.event('note', 'INFO', 'kept');
    const blocker = new Database(path);
    blocker.exec('BEGIN IMMEDIATE');
    expect(writer.flush()).toBe(false);
    expect(writer.pendingCount).toBe(2);
    writer.update('a', { n: 2 }); // a newer value still replaces the pending one
    blocker.exec('COMMIT');
    blocker.close();
    expect(writer.flush()).toBe(true);
    writer.close();
    expect(reports).toMatchObject([{ code: 'write-failed', context: { op: 'flush' } }]);
    expect(readStatus(path).a?.value).toEqual({ n: 2 });
    expect(readEvents(path).map((e) => e.data.message)).toEqual(['kept']);
  });

  it('reports a bad value at the flush, drops it, and commits the others', () => {
    const path = freshDbPath();
    const { reports, onError } = collectReports();
    const writer = StateWriter.open(path, { flushMs: 60_000, onError });
    writer.update('good', { n: 1 });
    writer.update('bad', { n: 10n } as unknown as object);
    expect(writer.flush()).toBe(true);
    writer.close();
    expect(reports).toMatchObject([{ code: 'not-serialisable', context: { key: 'bad' } }]);
    expect(Object.keys(readStatus(path))).toEqual(['good']);
  });

  it('rejects a bad key at once', () => {
    const { reports, onError } = collectReports();
    const writer = StateWriter.open(freshDbPath(), { flushMs: 60_000, onError });
    expect(writer.update('', { n: 1 })).toBe(false);
    expect(writer.pendingCount).toBe(0);
    writer.close();
    expect(reports.map((r) => r.code)).toEqual(['invalid-key']);
  });
});
