import type Database from 'better-sqlite3';
import { checkRows } from './row-check.js';

/**
 * One `live_status` row as read: key, value, updated_at — and, for a value over the size
 * limit, null in its place and its size in bytes; for a row whose columns are not text (see
 * row-check.ts), null, 0 and the row's error. Arrays, not objects: for 10,000 rows a tick,
 * better-sqlite3's raw mode is about a third cheaper.
 */
export type RawRow = readonly [
  key: string,
  value: string | null,
  updatedAt: string,
  oversizeBytes?: number,
  rowError?: string,
];

/**
 * Below this many keys every changed tick reads every row (about 1.3 µs a row). Above it, a
 * changed tick reads only rows whose `updated_at` is at or after the newest one seen before —
 * a scan inside SQLite that costs a tenth of copying every row out.
 */
export const INCREMENTAL_MIN_ROWS = 2000;
/**
 * Incremental reads trust `updated_at` to grow. A writer whose clock steps back, or a key
 * deleted while another is added, would go unseen; a full read this often catches both.
 */
export const FULL_READ_EVERY_MS = 5000;

/**
 * Reads `live_status`: all rows, or (for large tables) only the rows changed since last time.
 * Oversized values are never copied out of SQLite: only their size is. Called inside the
 * caller's read transaction.
 */
export class StatusRows {
  private readonly all: Database.Statement;
  private readonly allOversized: Database.Statement;
  private readonly since: Database.Statement;
  private readonly sinceOversized: Database.Statement;
  private readonly countAndMax: Database.Statement;
  private rowCount = 0;
  private newestUpdatedAt: string | null = null;
  private lastFullReadMs = 0;

  constructor(
    db: Database.Database,
    private readonly maxValueBytes: number,
  ) {
    // Two scans with octet_length() cost what one plain scan does: SQLite reads lengths from headers.
    // coalesce: a NULL value (the DDL forbids it, foreign writers may not) is read, and reported.
    this.all = db
      .prepare(
        'SELECT key, value, updated_at FROM live_status WHERE coalesce(octet_length(value), 0) <= ?',
      )
      .raw();
    this.allOversized = db
      .prepare(
        'SELECT key, NULL, updated_at, octet_length(value) FROM live_status WHERE octet_length(value) > ?',
      )
      .raw();
    this.since = db
      .prepare(
        'SELECT key, value, updated_at FROM live_status WHERE updated_at >= ? AND coalesce(octet_length(value), 0) <= ?',
      )
      .raw();
    this.sinceOversized = db
      .prepare(
        'SELECT key, NULL, updated_at, octet_length(value) FROM live_status WHERE updated_at >= ? AND octet_length(value) > ?',
      )
      .raw();
    this.countAndMax = db.prepare('SELECT count(*), max(updated_at) FROM live_status').raw();
  }

  /** `partial`: only changed rows were read; merge them into what is known. */
  read(forceFull: boolean, nowMs: number): { rows: RawRow[]; partial: boolean } {
    const since = this.newestUpdatedAt;
    if (
      !forceFull &&
      since !== null &&
      this.rowCount >= INCREMENTAL_MIN_ROWS &&
      nowMs - this.lastFullReadMs < FULL_READ_EVERY_MS
    ) {
      const [count, max] = this.countAndMax.get() as [number, unknown];
      // max() of a column holding any type: only text is a time to compare with.
      const newest = typeof max === 'string' ? max : null;
      if (count === this.rowCount) {
        // `>=`: a row written in the same millisecond as the newest one seen is read again.
        const raw = this.since.all(since, this.maxValueBytes) as unknown[][];
        for (const row of this.sinceOversized.all(since, this.maxValueBytes))
          raw.push(row as unknown[]);
        const rows = checkRows(raw);
        if (newest !== null && newest > since) this.newestUpdatedAt = newest;
        return { rows, partial: true };
      }
    }
    const raw = this.all.all(this.maxValueBytes) as unknown[][];
    for (const row of this.allOversized.all(this.maxValueBytes)) raw.push(row as unknown[]);
    const rows = checkRows(raw);
    let newest: string | null = null;
    // A row with an error may carry a made-up time: only real text times move the mark.
    for (const row of rows)
      if (row[4] === undefined && (newest === null || row[2] > newest)) newest = row[2];
    this.rowCount = rows.length;
    this.newestUpdatedAt = newest;
    this.lastFullReadMs = nowMs;
    return { rows, partial: false };
  }
}
