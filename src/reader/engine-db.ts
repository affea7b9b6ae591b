import type Database from 'better-sqlite3';
import { SCHEMA_VERSION } from '../contract/index.js';
import { checkFile, DEFAULT_MAX_COPY_BYTES, openEngineFile } from './engine-file.js';
import { type ReadProblem, readProblem } from './read-problem.js';
import { type RawRow, StatusRows } from './status-rows.js';

export type { ReadProblem } from './read-problem.js';
export type { RawRow } from './status-rows.js';

/** One `live_events` row as stored. */
export interface RawEvent {
  id: number;
  ts: string;
  type: string;
  level: string | null;
  symbol: string | null;
  data: string;
}

export interface ReadOutcome {
  problem: ReadProblem | null;
  /** True when rows (and events) were read this tick: something was committed since the last. */
  changed: boolean;
  /** Every row when `changed` — or, with `partial`, only the rows changed since the last read. */
  rows: RawRow[];
  partial: boolean;
  /** Journal rows after the last one seen, when `changed`. */
  events: RawEvent[];
  /** The lowest journal id still there, when `changed` (the writer prunes older rows); else null. */
  minEventId: number | null;
  /** The connection was (re)opened, or the journal restarted: earlier state is void. */
  reset: boolean;
  schemaVersion: number | null;
}

/**
 * A rollback-journal engine (the original design's default) holds an exclusive lock for a moment
 * on every commit; committing thousands of times a second, many polls in a row can meet one.
 * Only a lock that has kept every read out for this long is reported: time, not a count of
 * polls, since file-change wake-ups can make polls arbitrarily frequent.
 */
export const LOCKED_REPORT_AFTER_MS = 5000;
/** How long one read waits for such a lock, blocking the event loop meanwhile. */
const READ_BUSY_TIMEOUT_MS = 100;

/** At most this many journal rows per tick, so a huge backlog is read over several ticks. */
const EVENT_BATCH = 5000;
/** On first open, read all trades (for statistics) but only this many other events. */
const RECENT_EVENTS_ON_OPEN = 500;

/**
 * Read-only access to one engine database, surviving everything the engine side can do to the
 * file: not there yet, deleted, replaced, truncated, locked, corrupt, newer schema.
 *
 * Each `read()` asks `PRAGMA data_version` first and returns at once when nothing was committed.
 * Reads run in one short transaction, committed before returning, so no read is held across
 * ticks (a held read would stop the engine's WAL checkpoints).
 */
export class EngineDatabase {
  private db: Database.Database | null = null;
  /** dev:ino — which file this is. Another value means the file was replaced. */
  private fileId: string | null = null;
  /**
   * size:mtime:wal — changed without a commit we saw means the bytes were changed under SQLite;
   * a `-wal` that appears or goes means the engine started or stopped (see engine-file.ts).
   */
  private fileStamp: string | null = null;
  /** When the first of an unbroken run of locked reads happened; null when the last read worked. */
  private lockedSinceMs: number | null = null;
  private dataVersion: number | null = null;
  private lastEventId = 0;
  private hasEvents = false;
  private schemaVersion: number | null = null;
  private statements: {
    dataVersion: Database.Statement;
    rows: StatusRows;
    maxEventId: Database.Statement | null;
    minEventId: Database.Statement | null;
    tailEvents: Database.Statement | null;
    initialEvents: Database.Statement | null;
  } | null = null;

  /** Reads (SQLite queries) made so far: proves one read per tick however many clients watch. */
  reads = 0;

  constructor(
    readonly path: string,
    private readonly maxValueBytes = 1024 * 1024,
    private readonly now: () => number = Date.now,
    /** A stopped engine's file larger than this is not copied into memory (engine-file.ts). */
    private readonly maxCopyBytes = DEFAULT_MAX_COPY_BYTES,
  ) {}

  read(): ReadOutcome {
    const idle: ReadOutcome = {
      problem: null,
      changed: false,
      rows: [],
      partial: false,
      events: [],
      minEventId: null,
      reset: false,
      schemaVersion: this.schemaVersion,
    };
    const file = checkFile(this.path);
    if (file.kind !== 'file') {
      this.close();
      const problem: ReadProblem =
        file.kind === 'missing'
          ? {
              kind: 'waiting',
              message: `database file ${this.path} does not exist yet (engine not started?)`,
            }
          : {
              kind: 'error',
              code: 'not-file',
              message: `${this.path} is ${file.what}, not a regular file: not opened (point --db at the engine's SQLite file)`,
            };
      return { ...idle, problem };
    }
    let reset = false;
    if (this.db && file.id !== this.fileId) {
      this.close(); // replaced by another file: everything known about the old one is void
    } else if (this.db && file.stamp !== this.fileStamp) {
      // Written outside SQLite's locking (truncated, overwritten) or checkpointed: a fresh
      // connection cannot be fooled by cached pages. The journal position is kept.
      this.disconnect();
    }
    try {
      if (!this.db) {
        reset = this.open(file);
      }
      const statements = this.statements;
      if (!this.db || !statements) throw new Error('database not open');
      const version = statements.dataVersion.pluck().get() as number;
      if (this.dataVersion !== null && version === this.dataVersion) {
        this.lockedSinceMs = null;
        return idle;
      }
      this.reads++;
      const outcome = this.db.transaction(() => this.readAll(reset))();
      this.dataVersion = version;
      this.lockedSinceMs = null;
      return { ...outcome, problem: null, reset: outcome.reset || reset };
    } catch (error) {
      const problem = this.classify(error);
      if (problem.kind === 'error' && problem.code === 'locked') {
        const nowMs = this.now();
        this.lockedSinceMs ??= nowMs;
        if (nowMs - this.lockedSinceMs < LOCKED_REPORT_AFTER_MS) return { ...idle, reset };
      } else this.lockedSinceMs = null;
      return { ...idle, reset, problem };
    }
  }

  /** Closes the connection and forgets the file: the next open starts from scratch. */
  close(): void {
    this.disconnect();
    this.fileId = null;
    this.lastEventId = 0;
  }

  /** Closes the connection only; the next read reconnects and reads everything. */
  private disconnect(): void {
    this.db?.close();
    this.db = null;
    this.statements = null;
    this.fileStamp = null;
    this.dataVersion = null;
  }

  /** Connects; returns true when this is a different file than before (a reset). */
  private open(file: { id: string; stamp: string }): boolean {
    const { db } = openEngineFile(this.path, READ_BUSY_TIMEOUT_MS, this.maxCopyBytes);
    try {
      const version = db.pragma('user_version', { simple: true }) as number;
      this.schemaVersion = version;
      if (version > SCHEMA_VERSION) {
        throw Object.assign(
          new Error(
            `database schema version ${version} is newer than this tradewatch understands (${SCHEMA_VERSION}); upgrade tradewatch`,
          ),
          { code: 'TRADEWATCH_TOO_NEW' },
        );
      }
      const tables = new Set(
        db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[],
      );
      if (!tables.has('live_status')) {
        throw Object.assign(new Error('the database has no live_status table yet'), {
          code: 'TRADEWATCH_NO_TABLE',
        });
      }
      this.hasEvents = tables.has('live_events');
      this.statements = {
        dataVersion: db.prepare('PRAGMA data_version'),
        rows: new StatusRows(db, this.maxValueBytes),
        maxEventId: this.hasEvents ? db.prepare('SELECT max(id) FROM live_events') : null,
        minEventId: this.hasEvents ? db.prepare('SELECT min(id) FROM live_events') : null,
        tailEvents: this.hasEvents
          ? db.prepare(
              `SELECT id, ts, type, level, symbol, data FROM live_events WHERE id > ? ORDER BY id LIMIT ${EVENT_BATCH}`,
            )
          : null,
        initialEvents: this.hasEvents
          ? db.prepare(
              "SELECT id, ts, type, level, symbol, data FROM live_events WHERE type = 'trade' OR id > ? ORDER BY id",
            )
          : null,
      };
      this.db = db;
      this.fileStamp = file.stamp;
      this.dataVersion = null;
      const isNewFile = this.fileId !== file.id;
      if (isNewFile) this.lastEventId = 0;
      this.fileId = file.id;
      return isNewFile;
    } catch (error) {
      db.close();
      this.statements = null;
      throw error;
    }
  }

  private readAll(initial: boolean): Omit<ReadOutcome, 'problem'> {
    const s = this.statements;
    if (!s) throw new Error('database not open');
    const { rows, partial } = s.rows.read(initial, this.now());
    let events: RawEvent[] = [];
    let minEventId: number | null = null;
    let reset = false;
    if (s.maxEventId && s.minEventId && s.tailEvents && s.initialEvents) {
      minEventId = s.minEventId.pluck().get() as number | null;
      const maxId = (s.maxEventId.pluck().get() as number | null) ?? 0;
      if (maxId < this.lastEventId) {
        reset = true; // the journal was emptied or replaced: start over
        this.lastEventId = 0;
      }
      events = (
        initial || reset
          ? s.initialEvents.all(maxId - RECENT_EVENTS_ON_OPEN)
          : s.tailEvents.all(this.lastEventId)
      ) as RawEvent[];
      const last = events[events.length - 1];
      if (last) this.lastEventId = last.id;
    }
    return {
      changed: true,
      rows,
      partial,
      events,
      minEventId,
      reset,
      schemaVersion: this.schemaVersion,
    };
  }

  /** Turns an exception into what the page and log should say; drops the connection when it cannot be trusted. */
  private classify(error: unknown): ReadProblem {
    const problem = readProblem(this.path, error);
    this.dataVersion = null; // read fully next time
    // A lock passes; anything else means the connection (or the file) cannot be trusted.
    if (problem.kind !== 'error' || problem.code !== 'locked') this.close();
    return problem;
  }
}
