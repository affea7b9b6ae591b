import type Database from 'better-sqlite3';
import type { Level } from '../../contract/index.js';
import { ALERT_COLUMNS, type AlertRow, alertFromRow } from '../alerts/store.js';
import type { Alert } from '../alerts/types.js';

/**
 * Alerts as they stood at a past moment, from the stored lifecycle (AlertStore's `alerts`
 * table): started and not yet resolved then, firing if they had fired by then.
 */
export class AlertsAt {
  private active!: Database.Statement;
  private fired!: Database.Statement;

  constructor(db: Database.Database) {
    this.attach(db);
  }

  attach(db: Database.Database): void {
    // The alerts table belongs to AlertStore, which creates it first on the same connection.
    this.active = db.prepare(
      `SELECT id, ${ALERT_COLUMNS} FROM alerts
        WHERE started_at <= @at AND (resolved_at IS NULL OR resolved_at > @at)
          AND (engine = @engine OR engine IS NULL) ORDER BY id DESC`,
    );
    this.fired = db
      .prepare(
        `SELECT fired_at, level FROM alerts
          WHERE fired_at IS NOT NULL AND (engine = ? OR engine IS NULL) ORDER BY fired_at`,
      )
      .raw();
  }

  /** Pending or firing at `atMs`, about this engine or the host, newest first. */
  at(engine: string, atMs: number): Alert[] {
    return (this.active.all({ at: atMs, engine }) as AlertRow[]).map((row) => {
      const alert = alertFromRow(row);
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
    return this.fired.all(engine) as Array<[number, Level]>;
  }
}
