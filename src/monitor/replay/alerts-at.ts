import type Database from 'better-sqlite3';
import type { Level } from '../../contract/index.js';
import { ALERT_COLUMNS, type AlertRow, alertFromRow } from '../alerts/store.js';
import type { Alert } from '../alerts/types.js';

/**
 * Alerts as they stood at a past moment, from the stored lifecycle (AlertStore's `alerts`
 * table): started and not yet resolved then, firing if they had fired by then.
 */
export class AlertsAt {
  private db!: Database.Database;
  private q: { active: Database.Statement; fired: Database.Statement } | null = null;

  constructor(db: Database.Database) {
    this.attach(db);
  }

  attach(db: Database.Database): void {
    this.db = db;
    this.q = null;
  }

  /**
   * Compiled on first use: the alerts table belongs to AlertStore, which may create it after
   * replay was wired. Null while there is no such table (no alert was ever stored).
   */
  private queries(): { active: Database.Statement; fired: Database.Statement } | null {
    if (this.q) return this.q;
    const exists = this.db
      .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alerts'")
      .get();
    if (!exists) return null;
    const active = this.db.prepare(
      // The message as of then: the row holds the latest one (a resolved alert says so).
      `SELECT id, ${ALERT_COLUMNS},
         (SELECT t.message FROM alert_transitions t
           WHERE t.alert_id = alerts.id AND t.at <= @at ORDER BY t.id DESC LIMIT 1) AS message_then
        FROM alerts
        WHERE started_at <= @at AND (resolved_at IS NULL OR resolved_at > @at)
          AND (engine = @engine OR engine IS NULL) ORDER BY id DESC`,
    );
    const fired = this.db
      .prepare(
        `SELECT fired_at, level FROM alerts
          WHERE fired_at IS NOT NULL AND (engine = ? OR engine IS NULL) ORDER BY fired_at`,
      )
      .raw();
    this.q = { active, fired };
    return this.q;
  }

  /** Pending or firing at `atMs`, about this engine or the host, newest first. */
  at(engine: string, atMs: number): Alert[] {
    const q = this.queries();
    if (!q) return [];
    const rows = q.active.all({ at: atMs, engine }) as Array<
      AlertRow & { message_then: string | null }
    >;
    return rows.map((row) => {
      const alert = alertFromRow({ ...row, message: row.message_then ?? row.message });
      const fired = alert.firedAtMs !== null && alert.firedAtMs <= atMs;
      return {
        ...alert,
        state: fired ? 'firing' : 'pending',
        firedAtMs: fired ? alert.firedAtMs : null,
        resolvedAtMs: null,
        ackedAtMs: alert.ackedAtMs !== null && alert.ackedAtMs <= atMs ? alert.ackedAtMs : null,
      };
    });
  }

  /** When each alert about this engine (or the host) fired, with its level: the time bar's marks. */
  firedTimes(engine: string): Array<[t: number, level: Level]> {
    return (this.queries()?.fired.all(engine) ?? []) as Array<[number, Level]>;
  }
}
