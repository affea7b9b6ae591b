/** The fields of a monitor alert that its JSON form shows (epoch-ms times). */
export interface AlertFields {
  id: number;
  rule: string;
  /** The engine it is about; null for host alerts. */
  engine: string | null;
  /** What it is about within the rule: a mount point, a symbol, `engine`. */
  subject: string;
  level: string;
  state: string;
  /** The observed value (latest while active); null for yes/no rules. */
  value: number | null;
  threshold: number | null;
  message: string;
  startedAtMs: number;
  firedAtMs: number | null;
  resolvedAtMs: number | null;
  /** Acknowledged: no more notifications until it resolves. */
  ackedAtMs: number | null;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/**
 * An alert as the API and the generic webhook show it (snake_case, ISO times): one wire format
 * that the monitor (webhook) and the web layer (/api/v1/alerts) both send.
 *
 * @example
 * res.json({ alert: alertJson(alert, monitor.isMuted(alert)) });
 */
export function alertJson(a: AlertFields, muted = false) {
  return {
    id: a.id,
    rule: a.rule,
    engine: a.engine,
    subject: a.subject,
    level: a.level,
    state: a.state,
    value: a.value,
    threshold: a.threshold,
    message: a.message,
    started_at: iso(a.startedAtMs),
    fired_at: iso(a.firedAtMs),
    resolved_at: iso(a.resolvedAtMs),
    acked_at: iso(a.ackedAtMs),
    acked: a.ackedAtMs !== null,
    muted,
  };
}
