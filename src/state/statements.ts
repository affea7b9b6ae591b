import type Database from 'better-sqlite3';
import { isoNow } from './clock.js';
import type { EventRow } from './events.js';

/** A pending `live_status` change: JSON text to upsert, or null to delete the key. */
export type StatusChange = readonly [key: string, json: string | null];

export interface JournalLimits {
  eventRetentionMs: number;
  eventMaxRows: number;
}

/** Prune at most this often: pruning is a scan, a commit is microseconds. */
const PRUNE_EVERY_INSERTS = 1000;
const PRUNE_EVERY_MS = 60_000;

/**
 * The writer's prepared statements, compiled once. Upserts use `ON CONFLICT DO UPDATE`, which
 * rewrites the row in place (about one page per commit) where the original design's
 * `INSERT OR REPLACE` deletes and reinserts it (about 3.4 pages, and more checkpoints).
 */
export class Statements {
  private readonly upsert: Database.Statement;
  private readonly remove: Database.Statement;
  private readonly insertEvent: Database.Statement;
  private readonly pruneByCount: Database.Statement;
  private readonly pruneByAge: Database.Statement;
  private readonly commitBatch: (
    changes: readonly StatusChange[],
    events: readonly EventRow[],
  ) => void;
  private insertsSincePrune = 0;
  private lastPruneAt = 0;

  constructor(
    private readonly db: Database.Database,
    private readonly limits: JournalLimits,
  ) {
    this.upsert = db.prepare(
      `INSERT INTO live_status (key, value, updated_at) VALUES (?, ?, ?)
       ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
    );
    this.remove = db.prepare('DELETE FROM live_status WHERE key = ?');
    this.insertEvent = db.prepare(
      'INSERT INTO live_events (ts, type, level, symbol, data) VALUES (@ts, @type, @level, @symbol, @data)',
    );
    this.pruneByCount = db.prepare(
      'DELETE FROM live_events WHERE id <= (SELECT max(id) FROM live_events) - ?',
    );
    this.pruneByAge = db.prepare('DELETE FROM live_events WHERE ts < ?');
    this.commitBatch = db.transaction(
      (changes: readonly StatusChange[], events: readonly EventRow[]) => {
        const now = isoNow();
        for (const [key, json] of changes) {
          if (json === null) this.remove.run(key);
          else this.upsert.run(key, json, now);
        }
        for (const row of events) this.insertEvent.run(row);
      },
    );
    this.prune();
  }

  /** One upsert in its own (implicit) transaction. */
  upsertOne(key: string, json: string): void {
    this.upsert.run(key, json, isoNow());
  }

  removeOne(key: string): void {
    this.remove.run(key);
  }

  insertEventOne(row: EventRow): void {
    this.insertEvent.run(row);
    this.afterEventInserts(1);
  }

  /** Everything in one transaction: all of it is committed, or none of it. */
  commit(changes: readonly StatusChange[], events: readonly EventRow[]): void {
    this.commitBatch(changes, events);
    if (events.length > 0) this.afterEventInserts(events.length);
  }

  private afterEventInserts(count: number): void {
    this.insertsSincePrune += count;
    if (
      this.insertsSincePrune >= PRUNE_EVERY_INSERTS ||
      Date.now() - this.lastPruneAt >= PRUNE_EVERY_MS
    ) {
      try {
        this.prune();
      } catch {
        // Pruning is housekeeping: the events themselves are committed. A busy or failing
        // prune is simply tried again after the next insert.
      }
    }
  }

  /** Drops journal rows beyond the row cap or older than the retention. */
  prune(): void {
    const cutoff = new Date(Date.now() - this.limits.eventRetentionMs).toISOString();
    this.db.transaction(() => {
      this.pruneByCount.run(this.limits.eventMaxRows);
      this.pruneByAge.run(cutoff);
    })();
    this.insertsSincePrune = 0;
    this.lastPruneAt = Date.now();
  }
}
