import type Database from 'better-sqlite3';
import type { EngineState } from '../../reader/types.js';

/** One stored record: a keyframe (every row) or a delta (the rows changed since the record before). */
export interface StoredRecord {
  t: number;
  keyframe: boolean;
  state: EngineState;
  /** The read problem as JSON, or null. */
  problem: string | null;
  schema: number | null;
  /** The snapshot's lastChangeMs: liveness at a moment is measured from it. */
  changedAt: number | null;
  body: Buffer;
}

export interface JournalRecord {
  t: number;
  /** The dashboard started over on this journal (first read, file replaced): earlier rows are void. */
  reset: boolean;
  trades: number;
  /** encodeEvents() text. */
  events: string;
}

/**
 * Replay's two tables in the dashboard's sidecar database (beside history's `samples`): state
 * records per engine at most one a second, and the journal rows seen with them.
 */
export class ReplayStore {
  private q!: Record<
    | 'insert'
    | 'insertJournal'
    | 'keyframeAtOrBefore'
    | 'after'
    | 'lastReset'
    | 'journalBetween'
    | 'firstKeyframe'
    | 'last'
    | 'pruneRecords'
    | 'pruneJournal'
    | 'engines'
    | 'states'
    | 'trades'
    | 'stepNext'
    | 'stepPrev',
    Database.Statement
  >;

  constructor(db: Database.Database) {
    this.attach(db);
  }

  /** Creates the tables if needed and compiles the queries (again after the sidecar file was recreated). */
  attach(db: Database.Database): void {
    db.exec(`CREATE TABLE IF NOT EXISTS replay_records (
      engine TEXT NOT NULL, t INTEGER NOT NULL, keyframe INTEGER NOT NULL, state TEXT NOT NULL,
      problem TEXT, schema INTEGER, changed_at INTEGER, body BLOB NOT NULL);
    CREATE INDEX IF NOT EXISTS replay_records_by_time ON replay_records (engine, t);
    CREATE TABLE IF NOT EXISTS replay_journal (
      engine TEXT NOT NULL, t INTEGER NOT NULL, reset INTEGER NOT NULL, trades INTEGER NOT NULL,
      events TEXT NOT NULL);
    CREATE INDEX IF NOT EXISTS replay_journal_by_time ON replay_journal (engine, t);`);
    const cols = 't, keyframe, state, problem, schema, changed_at, body';
    this.q = {
      insert: db.prepare(
        'INSERT INTO replay_records (engine, t, keyframe, state, problem, schema, changed_at, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      insertJournal: db.prepare(
        'INSERT INTO replay_journal (engine, t, reset, trades, events) VALUES (?, ?, ?, ?, ?)',
      ),
      keyframeAtOrBefore: db.prepare(
        `SELECT ${cols} FROM replay_records WHERE engine = ? AND keyframe = 1 AND t <= ? ORDER BY t DESC LIMIT 1`,
      ),
      after: db.prepare(
        `SELECT ${cols} FROM replay_records WHERE engine = ? AND t > ? AND t <= ? ORDER BY t`,
      ),
      lastReset: db
        .prepare('SELECT max(t) FROM replay_journal WHERE engine = ? AND reset = 1 AND t <= ?')
        .pluck(),
      journalBetween: db.prepare(
        'SELECT t, reset, trades, events FROM replay_journal WHERE engine = ? AND t >= ? AND t <= ? ORDER BY t',
      ),
      firstKeyframe: db
        .prepare('SELECT min(t) FROM replay_records WHERE engine = ? AND keyframe = 1')
        .pluck(),
      last: db.prepare('SELECT max(t) FROM replay_records WHERE engine = ?').pluck(),
      pruneRecords: db.prepare('DELETE FROM replay_records WHERE engine = ? AND t < ?'),
      pruneJournal: db.prepare('DELETE FROM replay_journal WHERE engine = ? AND t < ?'),
      engines: db.prepare('SELECT DISTINCT engine FROM replay_records').pluck(),
      // A state change: a record whose state differs from the record before it.
      states: db
        .prepare(
          `SELECT t, state FROM (SELECT t, state, lag(state) OVER (ORDER BY t) AS before
             FROM replay_records WHERE engine = ?) WHERE before IS NULL OR before != state`,
        )
        .raw(),
      trades: db
        .prepare('SELECT t FROM replay_journal WHERE engine = ? AND trades > 0 ORDER BY t')
        .pluck(),
      stepNext: db.prepare('SELECT min(t) FROM replay_records WHERE engine = ? AND t > ?').pluck(),
      stepPrev: db.prepare('SELECT max(t) FROM replay_records WHERE engine = ? AND t < ?').pluck(),
    };
  }

  insert(engine: string, r: StoredRecord): void {
    this.q.insert.run(
      engine,
      r.t,
      r.keyframe ? 1 : 0,
      r.state,
      r.problem,
      r.schema,
      r.changedAt,
      r.body,
    );
  }

  insertJournal(engine: string, j: JournalRecord): void {
    this.q.insertJournal.run(engine, j.t, j.reset ? 1 : 0, j.trades, j.events);
  }

  /** The keyframe at or before `atMs` and every record after it up to `atMs`, oldest first. */
  chain(engine: string, atMs: number): StoredRecord[] {
    const keyframe = this.q.keyframeAtOrBefore.get(engine, atMs) as RecordRow | undefined;
    if (!keyframe) return [];
    const rest = this.q.after.all(engine, keyframe.t, atMs) as RecordRow[];
    return [keyframe, ...rest].map(fromRow);
  }

  /** Journal records from the last reset at or before `atMs` up to `atMs`. */
  journal(engine: string, atMs: number): JournalRecord[] {
    const from = (this.q.lastReset.get(engine, atMs) as number | null) ?? 0;
    return (this.q.journalBetween.all(engine, from, atMs) as JournalRow[]).map((j) => ({
      t: j.t,
      reset: j.reset === 1,
      trades: j.trades,
      events: j.events,
    }));
  }

  /** First keyframe and last record: the moments that can be rebuilt. Null: nothing recorded. */
  window(engine: string): { fromMs: number; lastMs: number } | null {
    const fromMs = this.q.firstKeyframe.get(engine) as number | null;
    const lastMs = this.q.last.get(engine) as number | null;
    return fromMs === null || lastMs === null ? null : { fromMs, lastMs };
  }

  /** Moments the engine's state (live, stale, down...) changed. */
  stateChanges(engine: string): Array<[t: number, state: EngineState]> {
    return this.q.states.all(engine) as Array<[number, EngineState]>;
  }

  /** Moments a trade was seen in the journal. */
  tradeTimes(engine: string): number[] {
    return this.q.trades.all(engine) as number[];
  }

  /** The record time right after (or before) `atMs`; null at the ends. */
  step(engine: string, atMs: number, direction: 'next' | 'prev'): number | null {
    return (
      ((direction === 'next' ? this.q.stepNext : this.q.stepPrev).get(engine, atMs) as
        | number
        | null) ?? null
    );
  }

  /**
   * Deletes what is older than `beforeMs`, keeping the keyframe (and the journal reset) that
   * moments after it are rebuilt from. Returns the records deleted.
   */
  prune(beforeMs: number): number {
    let removed = 0;
    for (const engine of this.q.engines.all() as string[]) {
      const keyframe = this.q.keyframeAtOrBefore.get(engine, beforeMs) as RecordRow | undefined;
      if (keyframe) removed += this.q.pruneRecords.run(engine, keyframe.t).changes;
      const reset = this.q.lastReset.get(engine, beforeMs) as number | null;
      if (reset !== null) this.q.pruneJournal.run(engine, reset);
    }
    return removed;
  }
}

interface RecordRow {
  t: number;
  keyframe: number;
  state: string;
  problem: string | null;
  schema: number | null;
  changed_at: number | null;
  body: Buffer;
}

interface JournalRow {
  t: number;
  reset: number;
  trades: number;
  events: string;
}

function fromRow(r: RecordRow): StoredRecord {
  return {
    t: r.t,
    keyframe: r.keyframe === 1,
    state: r.state as EngineState,
    problem: r.problem,
    schema: r.schema,
    changedAt: r.changed_at,
    body: r.body,
  };
}
