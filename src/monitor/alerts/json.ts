import type { Alert } from './types.js';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** An alert as the API and the generic webhook show it (snake_case, ISO times). */
export function alertJson(a: Alert, muted = false) {
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
