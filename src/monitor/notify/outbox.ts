import type Database from 'better-sqlite3';
import type { Notification } from './message.js';

export type OutboxStatus = 'pending' | 'sent' | 'failed';

export interface OutboxMessage {
  id: number;
  channel: string;
  notification: Notification;
  createdAtMs: number;
  attempts: number;
  nextAtMs: number;
  status: OutboxStatus;
  lastError: string | null;
  doneAtMs: number | null;
}

interface Row {
  id: number;
  channel: string;
  payload: string;
  created_at: number;
  attempts: number;
  next_at: number;
  status: string;
  last_error: string | null;
  done_at: number | null;
}

/**
 * Notifications waiting to be sent, in the sidecar database: a message queued before a crash or
 * restart is still sent afterwards. Sent and failed messages are kept a week for /alerts.
 * Every query the sender makes per attempt reads one row through an index, so a burst of N
 * messages costs O(N log N), not O(N²) (`rowsRead` counts rows parsed, for tests).
 */
export class OutboxStore {
  private q!: Record<
    | 'add'
    | 'nextDue'
    | 'nextAt'
    | 'pendingChannels'
    | 'pendingFor'
    | 'sent'
    | 'retry'
    | 'failed'
    | 'recent'
    | 'pendingCount'
    | 'prune',
    Database.Statement
  >;
  /** Rows read and parsed so far. */
  rowsRead = 0;

  constructor(db: Database.Database) {
    this.attach(db);
  }

  /** Creates the table if needed and compiles the queries on a connection (again after the sidecar file was recreated). */
  attach(db: Database.Database): void {
    db.exec(`CREATE TABLE IF NOT EXISTS outbox (
      id INTEGER PRIMARY KEY, channel TEXT NOT NULL, payload TEXT NOT NULL,
      created_at INTEGER NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, next_at INTEGER NOT NULL,
      status TEXT NOT NULL DEFAULT 'pending', last_error TEXT, done_at INTEGER);
    CREATE INDEX IF NOT EXISTS outbox_due ON outbox (next_at) WHERE status = 'pending';
    CREATE INDEX IF NOT EXISTS outbox_channel_order ON outbox (channel, id) WHERE status = 'pending';
    CREATE INDEX IF NOT EXISTS outbox_channel_next ON outbox (channel, next_at) WHERE status = 'pending';`);
    const columns =
      'id, channel, payload, created_at, attempts, next_at, status, last_error, done_at';
    this.q = {
      add: db.prepare(
        'INSERT INTO outbox (channel, payload, created_at, next_at) VALUES (?, ?, ?, ?)',
      ),
      // Oldest first per channel: walk the channel's pending rows in id order to the first due.
      nextDue: db.prepare(
        `SELECT ${columns} FROM outbox INDEXED BY outbox_channel_order
         WHERE status = 'pending' AND channel = ? AND next_at <= ? ORDER BY id LIMIT 1`,
      ),
      nextAt: db
        .prepare(
          `SELECT min(next_at) FROM outbox INDEXED BY outbox_channel_next
           WHERE status = 'pending' AND channel = ?`,
        )
        .pluck(),
      pendingChannels: db
        .prepare("SELECT DISTINCT channel FROM outbox WHERE status = 'pending'")
        .pluck(),
      pendingFor: db.prepare(
        `SELECT ${columns} FROM outbox WHERE status = 'pending' AND channel = ? ORDER BY id`,
      ),
      sent: db.prepare(
        "UPDATE outbox SET status = 'sent', attempts = attempts + 1, done_at = ?, last_error = NULL WHERE id = ?",
      ),
      retry: db.prepare(
        'UPDATE outbox SET attempts = attempts + 1, next_at = ?, last_error = ? WHERE id = ?',
      ),
      failed: db.prepare(
        "UPDATE outbox SET status = 'failed', attempts = attempts + ?, done_at = ?, last_error = ? WHERE id = ?",
      ),
      recent: db.prepare(`SELECT ${columns} FROM outbox ORDER BY id DESC LIMIT ?`),
      pendingCount: db.prepare("SELECT count(*) FROM outbox WHERE status = 'pending'").pluck(),
      prune: db.prepare("DELETE FROM outbox WHERE status != 'pending' AND done_at < ?"),
    };
  }

  add(channel: string, notification: Notification, nowMs: number): number {
    return Number(
      this.q.add.run(channel, JSON.stringify(notification), nowMs, nowMs).lastInsertRowid,
    );
  }

  /** The oldest message of a channel that is due now, if any. */
  nextDue(channel: string, nowMs: number): OutboxMessage | null {
    const row = this.q.nextDue.get(channel, nowMs) as Row | undefined;
    return row ? this.parse(row) : null;
  }

  /** When the channel's next pending message is due; null when it has none. */
  nextAt(channel: string): number | null {
    return (this.q.nextAt.get(channel) as number | null) ?? null;
  }

  /** Channels with messages waiting (on start: those no longer configured are failed). */
  pendingChannels(): string[] {
    return this.q.pendingChannels.all() as string[];
  }

  /** Every message still waiting for one channel. */
  pendingFor(channel: string): OutboxMessage[] {
    return (this.q.pendingFor.all(channel) as Row[]).map((r) => this.parse(r));
  }

  pendingCount(): number {
    return this.q.pendingCount.get() as number;
  }

  markSent(id: number, nowMs: number): void {
    this.q.sent.run(nowMs, id);
  }

  markRetry(id: number, nextAtMs: number, error: string): void {
    this.q.retry.run(nextAtMs, error, id);
  }

  /** `attempted`: whether this failure was a delivery attempt (1) or a decision not to try (0). */
  markFailed(id: number, nowMs: number, error: string, attempted: boolean): void {
    this.q.failed.run(attempted ? 1 : 0, nowMs, error, id);
  }

  recent(limit: number): OutboxMessage[] {
    return (this.q.recent.all(limit) as Row[]).map(fromRow);
  }

  private parse(row: Row): OutboxMessage {
    this.rowsRead++;
    return fromRow(row);
  }

  prune(beforeMs: number): number {
    return this.q.prune.run(beforeMs).changes;
  }
}

function fromRow(r: Row): OutboxMessage {
  return {
    id: r.id,
    channel: r.channel,
    notification: JSON.parse(r.payload) as Notification,
    createdAtMs: r.created_at,
    attempts: r.attempts,
    nextAtMs: r.next_at,
    status: r.status as OutboxStatus,
    lastError: r.last_error,
    doneAtMs: r.done_at,
  };
}
