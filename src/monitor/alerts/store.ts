import type Database from 'better-sqlite3';
import type { RuleId } from '../../contract/alert-rules.js';
import type { Level } from '../../contract/index.js';
import type { Alert, AlertState } from './types.js';

export interface AlertRow {
  id: number;
  key: string;
  rule: string;
  engine: string | null;
  subject: string;
  level: string;
  state: string;
  value: number | null;
  threshold: number | null;
  message: string;
  started_at: number;
  fired_at: number | null;
  resolved_at: number | null;
  acked_at: number | null;
  notified_at: number | null;
}

export interface Transition {
  alertId: number;
  atMs: number;
  from: AlertState | null;
  to: AlertState | 'acked';
  message: string;
}

export const ALERT_COLUMNS =
  'key, rule, engine, subject, level, state, value, threshold, message, started_at, fired_at, resolved_at, acked_at, notified_at';

/**
 * Alerts and their transitions in the sidecar database, so a restart keeps what is firing,
 * what was acknowledged, and the history. A partial unique index guarantees one active alert
 * per rule and subject even if two code paths raced.
 */
export class AlertStore {
  private q!: Record<
    | 'insert'
    | 'update'
    | 'remove'
    | 'removeTransitions'
    | 'active'
    | 'transition'
    | 'transitions'
    | 'prune'
    | 'listAll'
    | 'listActive'
    | 'listState',
    Database.Statement
  >;

  private db!: Database.Database;

  constructor(db: Database.Database) {
    this.attach(db);
  }

  /** Creates the tables if needed and compiles the queries on a connection (again after the sidecar file was recreated). */
  attach(db: Database.Database): void {
    this.db = db;
    db.exec(`CREATE TABLE IF NOT EXISTS alerts (
      id INTEGER PRIMARY KEY, key TEXT NOT NULL, rule TEXT NOT NULL, engine TEXT,
      subject TEXT NOT NULL, level TEXT NOT NULL, state TEXT NOT NULL, value REAL, threshold REAL,
      message TEXT NOT NULL, started_at INTEGER NOT NULL, fired_at INTEGER, resolved_at INTEGER,
      acked_at INTEGER, notified_at INTEGER);
    CREATE UNIQUE INDEX IF NOT EXISTS alerts_one_active ON alerts (key) WHERE state != 'resolved';
    CREATE TABLE IF NOT EXISTS alert_transitions (
      id INTEGER PRIMARY KEY, alert_id INTEGER NOT NULL, at INTEGER NOT NULL,
      from_state TEXT, to_state TEXT NOT NULL, message TEXT NOT NULL);
    CREATE INDEX IF NOT EXISTS alert_transitions_by_alert ON alert_transitions (alert_id);`);
    this.q = {
      insert: db.prepare(
        `INSERT INTO alerts (${ALERT_COLUMNS}) VALUES (@key, @rule, @engine, @subject, @level, @state, @value, @threshold, @message, @startedAtMs, @firedAtMs, @resolvedAtMs, @ackedAtMs, @notifiedAtMs)`,
      ),
      update: db.prepare(
        'UPDATE alerts SET level = @level, state = @state, value = @value, threshold = @threshold, message = @message, fired_at = @firedAtMs, resolved_at = @resolvedAtMs, acked_at = @ackedAtMs, notified_at = @notifiedAtMs WHERE id = @id',
      ),
      remove: db.prepare('DELETE FROM alerts WHERE id = ?'),
      removeTransitions: db.prepare('DELETE FROM alert_transitions WHERE alert_id = ?'),
      listAll: db.prepare(`SELECT id, ${ALERT_COLUMNS} FROM alerts ORDER BY id DESC LIMIT ?`),
      listActive: db.prepare(
        `SELECT id, ${ALERT_COLUMNS} FROM alerts WHERE state != 'resolved' ORDER BY id DESC LIMIT ?`,
      ),
      listState: db.prepare(
        `SELECT id, ${ALERT_COLUMNS} FROM alerts WHERE state = ? ORDER BY id DESC LIMIT ?`,
      ),
      active: db.prepare(`SELECT id, ${ALERT_COLUMNS} FROM alerts WHERE state != 'resolved'`),
      transition: db.prepare(
        'INSERT INTO alert_transitions (alert_id, at, from_state, to_state, message) VALUES (?, ?, ?, ?, ?)',
      ),
      transitions: db.prepare(
        'SELECT alert_id, at, from_state, to_state, message FROM alert_transitions WHERE alert_id = ? ORDER BY id',
      ),
      prune: db.prepare("DELETE FROM alerts WHERE state = 'resolved' AND resolved_at < ?"),
    };
  }

  insert(alert: Omit<Alert, 'id'>): number {
    return Number(this.q.insert.run(alert).lastInsertRowid);
  }

  update(alert: Alert): void {
    this.q.update.run(alert);
  }

  /** A pending alert whose condition cleared before it fired leaves no trace. */
  remove(id: number): void {
    this.q.remove.run(id);
    this.q.removeTransitions.run(id);
  }

  addTransition(t: Transition): void {
    this.q.transition.run(t.alertId, t.atMs, t.from, t.to, t.message);
  }

  transitions(alertId: number): Transition[] {
    return (this.q.transitions.all(alertId) as Array<Record<string, unknown>>).map((r) => ({
      alertId: r.alert_id as number,
      atMs: r.at as number,
      from: r.from_state as AlertState | null,
      to: r.to_state as Transition['to'],
      message: r.message as string,
    }));
  }

  active(): Alert[] {
    return (this.q.active.all() as AlertRow[]).map(alertFromRow);
  }

  /** Newest first; `state` filters (`active` = pending or firing). */
  list(limit: number, state?: AlertState | 'active'): Alert[] {
    const rows =
      state === undefined
        ? this.q.listAll.all(limit)
        : state === 'active'
          ? this.q.listActive.all(limit)
          : this.q.listState.all(state, limit);
    return (rows as AlertRow[]).map(alertFromRow);
  }

  /** Forgets resolved alerts (and their transitions) older than `beforeMs`. */
  prune(beforeMs: number): number {
    const removed = this.q.prune.run(beforeMs).changes;
    if (removed > 0)
      this.db.exec('DELETE FROM alert_transitions WHERE alert_id NOT IN (SELECT id FROM alerts)');
    return removed;
  }
}

/** An alert as stored, as the rest of the code sees it. */
export function alertFromRow(r: AlertRow): Alert {
  return {
    id: r.id,
    key: r.key,
    rule: r.rule as RuleId,
    engine: r.engine,
    subject: r.subject,
    level: r.level as Level,
    state: r.state as AlertState,
    value: r.value,
    threshold: r.threshold,
    message: r.message,
    startedAtMs: r.started_at,
    firedAtMs: r.fired_at,
    resolvedAtMs: r.resolved_at,
    ackedAtMs: r.acked_at,
    notifiedAtMs: r.notified_at,
  };
}
