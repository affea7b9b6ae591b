import { EventEmitter } from 'node:events';
import { RULES, type RuleId, type RuleSet } from '../../contract/alert-rules.js';
import { LEVELS, type Level } from '../../contract/index.js';
import type { AlertStore } from './store.js';
import { type Alert, type AlertState, alertKey, type Observation, type Scope } from './types.js';

/** A change of one alert. `cancelled`: pending, then the condition cleared before it fired. */
export interface AlertChange {
  alert: Alert;
  from: AlertState | null;
  to: AlertState | 'acked' | 'cancelled';
}

const SEVERITY = Object.fromEntries(LEVELS.map((l, i) => [l, i])) as Record<Level, number>;

/**
 * The alert lifecycle, like Prometheus alerting: a condition that holds makes a pending alert;
 * it fires once the condition has held for the rule's whole `for` (one evaluation without it
 * cancels the pending alert); a firing alert resolves when its condition no longer holds (the
 * rules apply the clear threshold). Evaluations name their scope, and only alerts in scope can
 * resolve, so a muted rule or a metric that could not be read leaves its alert as it is.
 * Every transition is stored; `change` events drive notifications and pages.
 */
export class AlertManager extends EventEmitter<{ change: [AlertChange] }> {
  private readonly byKey = new Map<string, Alert>();
  private readonly mutedEngines = new Set<string>();

  constructor(
    private readonly store: AlertStore,
    readonly rules: RuleSet,
    private readonly onStoreError: (error: unknown) => void = () => {},
  ) {
    super();
    for (const alert of this.persist(() => store.active(), [])) this.byKey.set(alert.key, alert);
  }

  readonly isActive = (key: string): boolean => this.byKey.has(key);

  /** Pending and firing alerts, most severe first, then newest. */
  active(): Alert[] {
    return [...this.byKey.values()].sort(
      (a, b) =>
        SEVERITY[b.level] - SEVERITY[a.level] || b.startedAtMs - a.startedAtMs || b.id - a.id,
    );
  }

  activeFor(rule: RuleId, engine: string | null): Alert[] {
    return [...this.byKey.values()].filter((a) => a.rule === rule && a.engine === engine);
  }

  /** History, newest first, with active alerts' latest values. */
  list(limit: number, state?: AlertState | 'active'): Alert[] {
    const byId = new Map([...this.byKey.values()].map((a) => [a.id, a]));
    return this.persist(() => this.store.list(limit, state), this.active()).map(
      (a) => byId.get(a.id) ?? a,
    );
  }

  /** A muted alert (active, its engine stale) gets no repeat notifications. */
  isMuted(alert: Alert): boolean {
    return (
      alert.state !== 'resolved' && // only an active alert can be held back
      alert.engine !== null &&
      RULES[alert.rule].scope === 'engine' &&
      this.mutedEngines.has(alert.engine)
    );
  }

  setMuted(engine: string, muted: boolean): void {
    if (muted) this.mutedEngines.add(engine);
    else this.mutedEngines.delete(engine);
  }

  observe(scope: Scope, observations: readonly Observation[], nowMs = Date.now()): void {
    const seen = new Set<string>();
    for (const o of observations) {
      const key = alertKey(o.rule, o.engine, o.subject);
      seen.add(key);
      const settings = this.rules[o.rule];
      let alert = this.byKey.get(key);
      if (!alert) {
        const fresh: Omit<Alert, 'id'> = {
          key,
          rule: o.rule,
          engine: o.engine,
          subject: o.subject,
          level: o.level ?? settings.level,
          state: 'pending',
          value: o.value,
          threshold: settings.threshold,
          message: o.message,
          startedAtMs: nowMs,
          firedAtMs: null,
          resolvedAtMs: null,
          ackedAtMs: null,
          notifiedAtMs: null,
        };
        alert = { ...fresh, id: this.persist(() => this.store.insert(fresh), -nowMs) };
        this.byKey.set(key, alert);
        this.transition(alert, null, 'pending', nowMs);
      } else {
        alert.value = o.value;
        alert.message = o.message;
        alert.level = o.level ?? settings.level;
      }
      if (alert.state === 'pending' && nowMs - alert.startedAtMs >= settings.forMs) {
        alert.state = 'firing';
        alert.firedAtMs = nowMs;
        this.transition(alert, 'pending', 'firing', nowMs);
      }
    }
    for (const [key, alert] of this.byKey) {
      if (seen.has(key) || alert.engine !== scope.engine || !scope.rules.includes(alert.rule))
        continue;
      this.byKey.delete(key);
      if (alert.state === 'pending') {
        this.persist(() => this.store.remove(alert.id), undefined);
        this.emit('change', { alert, from: 'pending', to: 'cancelled' });
      } else {
        alert.state = 'resolved';
        alert.resolvedAtMs = nowMs;
        // The message says what resolved it, not the last value it fired with.
        alert.message = `Resolved: ${scope.resolvedBy?.(alert.rule, alert.subject) ?? 'the condition no longer holds'}`;
        this.transition(alert, 'firing', 'resolved', nowMs);
      }
    }
  }

  /** Acknowledges an active alert: no more notifications about it until it resolves. */
  ack(id: number, nowMs = Date.now()): Alert | null {
    const alert = [...this.byKey.values()].find((a) => a.id === id);
    if (!alert) return null;
    if (alert.ackedAtMs === null) {
      alert.ackedAtMs = nowMs;
      this.transition(alert, alert.state, 'acked', nowMs);
    }
    return alert;
  }

  /** Forgets resolved alerts older than `beforeMs`. */
  prune(beforeMs: number): void {
    this.persist(() => this.store.prune(beforeMs), 0);
  }

  /** Records that a notification about the alert was queued (for the repeat interval). */
  markNotified(alert: Alert, nowMs: number): void {
    alert.notifiedAtMs = nowMs;
    this.persist(() => this.store.update(alert), undefined);
  }

  private transition(
    alert: Alert,
    from: AlertState | null,
    to: AlertState | 'acked',
    nowMs: number,
  ): void {
    this.persist(() => {
      this.store.update(alert);
      this.store.addTransition({
        alertId: alert.id,
        atMs: nowMs,
        from,
        to,
        message: alert.message,
      } as never);
    }, undefined);
    this.emit('change', { alert, from, to });
  }

  /** The sidecar may fail (disk full, file removed): alerting goes on in memory. */
  private persist<T>(fn: () => T, fallback: T): T {
    try {
      return fn();
    } catch (error) {
      this.onStoreError(error);
      return fallback;
    }
  }
}
