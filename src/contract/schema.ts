/**
 * Schema v1 of the shared-state contract between an engine (writer) and the dashboard (reader).
 *
 * `live_status` is byte-compatible with the original Python `StateManager`: a database it wrote
 * is a valid v1 database once the journal table exists and `user_version` is set. Never change
 * this DDL; add a new version instead. docs/schema.md is the prose form of this file.
 */

/** The schema version stored in `PRAGMA user_version`. */
export const SCHEMA_VERSION = 1;

export const LIVE_STATUS_TABLE = 'live_status';
export const LIVE_EVENTS_TABLE = 'live_events';

/** Exactly the original design's DDL: one row per key, JSON text value, ISO-8601 time. */
export const LIVE_STATUS_DDL = `CREATE TABLE IF NOT EXISTS live_status (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    updated_at TEXT NOT NULL
)`;

/** The append-only journal: trades, orders, engine-raised alerts and notes. Tailed by `id`. */
export const LIVE_EVENTS_DDL = `CREATE TABLE IF NOT EXISTS live_events (
    id INTEGER PRIMARY KEY,
    ts TEXT NOT NULL,
    type TEXT NOT NULL,
    level TEXT,
    symbol TEXT,
    data TEXT NOT NULL
)`;

/** Lets the writer prune by age without scanning the journal. */
export const LIVE_EVENTS_TS_INDEX_DDL =
  'CREATE INDEX IF NOT EXISTS live_events_ts ON live_events (ts)';

/** Column names and declared types of `live_status`, as `PRAGMA table_info` reports them. */
export const LIVE_STATUS_COLUMNS: ReadonlyArray<readonly [name: string, type: string]> = [
  ['key', 'TEXT'],
  ['value', 'TEXT'],
  ['updated_at', 'TEXT'],
];

/** Column names and declared types of `live_events`. */
export const LIVE_EVENTS_COLUMNS: ReadonlyArray<readonly [name: string, type: string]> = [
  ['id', 'INTEGER'],
  ['ts', 'TEXT'],
  ['type', 'TEXT'],
  ['level', 'TEXT'],
  ['symbol', 'TEXT'],
  ['data', 'TEXT'],
];
