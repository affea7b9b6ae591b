import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import {
  LIVE_EVENTS_COLUMNS,
  LIVE_STATUS_COLUMNS,
  SCHEMA_VERSION,
} from '../../src/contract/index.js';
import { StateWriter, StateWriterError } from '../../src/state/index.js';
import { tempDir } from '../helpers/tmp.js';
import { readStatus } from '../helpers/writer.js';

/** Exactly what the original Python StateManager runs. */
function createWithOriginalPythonSql(path: string) {
  const db = new Database(path);
  db.exec(`CREATE TABLE IF NOT EXISTS live_status (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    updated_at TEXT NOT NULL
  )`);
  const upsert = db.prepare(
    'INSERT OR REPLACE INTO live_status (key, value, updated_at) VALUES (?, ?, ?)',
  );
  upsert.run('summary', '{"cash": 10000.0, "value": 10250.5}', '2025-08-01T09:30:15.123456');
  upsert.run('chart_USDJPY', '{"price": 147.123, "rsi14": NaN}', '2025-08-01T09:30:16.000001');
  db.close();
}

function tableInfo(path: string, table: string) {
  const db = new Database(path, { readonly: true });
  try {
    const rows = db.pragma(`table_info(${table})`) as Array<{
      name: string;
      type: string;
      notnull: number;
      pk: number;
    }>;
    return {
      rows,
      version: db.pragma('user_version', { simple: true }),
      journal: db.pragma('journal_mode', { simple: true }),
    };
  } finally {
    db.close();
  }
}

describe('StateWriter.open: schema', () => {
  const dir = tempDir();

  it('creates the folder, the file and exactly the contract tables', () => {
    const path = join(dir, 'nested', 'deeper', 'engine.db');
    StateWriter.open(path).close();
    expect(existsSync(path)).toBe(true);
    const status = tableInfo(path, 'live_status');
    expect(status.rows.map((c) => [c.name, c.type])).toEqual(LIVE_STATUS_COLUMNS);
    expect(status.rows.map((c) => [c.name, c.notnull, c.pk])).toEqual([
      ['key', 0, 1],
      ['value', 1, 0],
      ['updated_at', 1, 0],
    ]);
    const events = tableInfo(path, 'live_events');
    expect(events.rows.map((c) => [c.name, c.type])).toEqual(LIVE_EVENTS_COLUMNS);
    expect(events.rows.filter((c) => c.notnull).map((c) => c.name)).toEqual(['ts', 'type', 'data']);
    expect(status.version).toBe(SCHEMA_VERSION);
    expect(status.journal).toBe('wal');
  });

  it('opens again idempotently and keeps rows', () => {
    const path = join(dir, 'again.db');
    const first = StateWriter.open(path);
    first.update('summary', { cash: 1 });
    first.close();
    const second = StateWriter.open(path);
    second.update('engine', { status: 'running' });
    second.close();
    expect(Object.keys(readStatus(path)).sort()).toEqual(['engine', 'summary']);
  });

  it("upgrades a database made by the original design's exact SQL without losing a row", () => {
    const path = join(dir, 'python.db');
    createWithOriginalPythonSql(path);
    const writer = StateWriter.open(path, { strict: true });
    writer.update('engine', { status: 'running' });
    writer.close();
    const db = new Database(path, { readonly: true });
    const rows = db.prepare('SELECT key, value, updated_at FROM live_status ORDER BY key').all();
    db.close();
    expect(rows).toEqual([
      {
        key: 'chart_USDJPY',
        value: '{"price": 147.123, "rsi14": NaN}',
        updated_at: '2025-08-01T09:30:16.000001',
      },
      { key: 'engine', value: '{"status":"running"}', updated_at: expect.stringMatching(/Z$/) },
      {
        key: 'summary',
        value: '{"cash": 10000.0, "value": 10250.5}',
        updated_at: '2025-08-01T09:30:15.123456',
      },
    ]);
    expect(tableInfo(path, 'live_events').version).toBe(1);
  });

  it('refuses a database of a newer schema version, naming both versions', () => {
    const path = join(dir, 'future.db');
    const db = new Database(path);
    db.pragma('user_version = 2');
    db.close();
    expect(() => StateWriter.open(path)).toThrow(StateWriterError);
    expect(() => StateWriter.open(path)).toThrow(
      /schema version is 2; this tradewatch understands up to 1/,
    );
  });

  it('refuses a live_status table that is not the contract, leaving it untouched', () => {
    const path = join(dir, 'other.db');
    const db = new Database(path);
    db.exec('CREATE TABLE live_status (id INTEGER, blob BLOB)');
    db.close();
    expect(() => StateWriter.open(path)).toThrow(/columns \(id INTEGER, blob BLOB\)/);
    expect(tableInfo(path, 'live_events').rows).toEqual([]);
  });

  it('writes updated_at as ISO-8601 UTC with milliseconds', () => {
    const path = join(dir, 'ts.db');
    const writer = StateWriter.open(path);
    const before = Date.now();
    writer.update('summary', { cash: 1 });
    writer.close();
    const stamp = readStatus(path).summary?.updated_at ?? '';
    expect(stamp).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(Date.parse(stamp)).toBeGreaterThanOrEqual(before);
    expect(Date.parse(stamp)).toBeLessThanOrEqual(Date.now());
  });

  it('rejects nonsense options at open', () => {
    expect(() => StateWriter.open(join(dir, 'x.db'), { flushMs: -1 })).toThrow(/flushMs/);
  });
});
