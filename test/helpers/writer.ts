import Database from 'better-sqlite3';
import type { RawEvent } from '../../src/reader/engine-db.js';
import type { ErrorContext, StateWriterError } from '../../src/state/index.js';

/** Every report a writer made, for assertions. */
export function collectReports() {
  const reports: Array<{ code: string; message: string; context: ErrorContext }> = [];
  const onError = (error: StateWriterError, context: ErrorContext) => {
    reports.push({ code: error.code, message: error.message, context });
  };
  return { reports, onError };
}

/** All `live_status` rows of a file, read through a separate read-only connection. */
export function readStatus(path: string): Record<string, { value: unknown; updated_at: string }> {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const rows = db.prepare('SELECT key, value, updated_at FROM live_status').all() as Array<{
      key: string;
      value: string;
      updated_at: string;
    }>;
    return Object.fromEntries(
      rows.map((r) => [r.key, { value: JSON.parse(r.value), updated_at: r.updated_at }]),
    );
  } finally {
    db.close();
  }
}

/** All `live_events` rows, oldest first, with `data` parsed. */
export function readEvents(path: string) {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const rows = db
      .prepare('SELECT id, ts, type, level, symbol, data FROM live_events ORDER BY id')
      .all() as RawEvent[];
    return rows.map((r) => ({ ...r, data: JSON.parse(r.data) as Record<string, unknown> }));
  } finally {
    db.close();
  }
}
