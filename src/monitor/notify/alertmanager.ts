import { Counter, type Registry } from 'prom-client';
import { RULES } from '../../contract/alert-rules.js';
import { LEVELS } from '../../contract/index.js';
import type { AlertChange, AlertManager } from '../alerts/manager.js';
import type { Alert } from '../alerts/types.js';
import type { Channel } from './channels.js';
import { postJson, type SendResult } from './http-post.js';
import type { Notification } from './message.js';

/**
 * Alertmanager wants active alerts re-sent "on the order of 30 seconds to 3 minutes"; it resolves
 * one not heard of by its `endsAt`. A firing alert says it lasts FIRING_TTL_MS from each send, so
 * a dashboard that dies leaves no alert firing for ever, and three missed refreshes are harmless.
 */
export const REFRESH_MS = 30_000;
const FIRING_TTL_MS = 4 * REFRESH_MS;
/** Resolves are re-sent this long too, so a refresh racing a resolve cannot revive the alert. */
const RESOLVED_RESEND_MS = 5 * 60_000;

/** The POST endpoint for a configured URL: a base (`http://am:9093`) or the full path. */
export function alertsEndpoint(url: string): string {
  const trimmed = url.replace(/\/+$/, '');
  return trimmed.endsWith('/api/v2/alerts') ? trimmed : `${trimmed}/api/v2/alerts`;
}

/**
 * One alert in Alertmanager's API v2 shape. Labels identify it (rule, engine, subject, instance)
 * and are bounded like the metrics' (a subject is a mount, a symbol or `engine`); the message
 * is an annotation, since it changes while the alert fires.
 *
 * @example postableAlert(alert, 'trading-box-1', Date.now()).labels
 * // { alertname: 'stale', severity: 'critical', instance: 'trading-box-1', subject: 'engine', engine: 'main' }
 */
export function postableAlert(alert: Alert, instance: string, nowMs: number) {
  const labels: Record<string, string> = {
    alertname: alert.rule,
    severity: alert.level.toLowerCase(),
    instance,
    subject: alert.subject,
  };
  if (alert.engine !== null) labels.engine = alert.engine;
  const resolved = alert.state === 'resolved';
  return {
    labels,
    annotations: {
      summary: RULES[alert.rule]?.describe ?? alert.rule,
      description: alert.message,
      level: alert.level,
    },
    startsAt: new Date(alert.firedAtMs ?? alert.startedAtMs).toISOString(),
    endsAt: new Date(
      resolved ? (alert.resolvedAtMs ?? nowMs) : nowMs + FIRING_TTL_MS,
    ).toISOString(),
  };
}

/** An outbox channel for one Alertmanager: firing and resolve are queued, retried and counted like any notification. */
export function alertmanagerChannel(
  id: string,
  url: string,
  instance: string,
  minLevel: Channel['minLevel'],
): Channel {
  const endpoint = alertsEndpoint(url);
  return {
    id,
    kind: 'alertmanager',
    label: `alertmanager ${new URL(endpoint).host}`,
    minLevel,
    send: (n: Notification, timeoutMs: number) =>
      postJson(endpoint, [postableAlert(n.alert, instance, Date.now())], timeoutMs),
  };
}

/**
 * Keeps Alertmanager's view current: every REFRESH_MS, each Alertmanager gets every firing alert
 * (acknowledged and muted ones too: they still fire) and the resolves of the last few minutes,
 * in one POST. A failed refresh is logged, counted, and made good by the next one; the firing and
 * resolve themselves go through the outbox like any notification.
 */
export class AlertmanagerRefresher {
  private readonly resolved = new Map<number, Alert>();
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private outcomes: Counter | null = null;

  constructor(
    private readonly manager: AlertManager,
    /** The `alertmanager` channels (see alertmanagerChannel), with their URLs. */
    private readonly targets: ReadonlyArray<{ channel: Channel; url: string }>,
    private readonly instance: string,
    private readonly options: {
      timeoutMs: number;
      onFailure: (label: string, error: string) => void;
    },
  ) {
    // Without an Alertmanager nothing would ever prune the resolves kept for re-sending.
    if (targets.length === 0) return;
    manager.on('change', ({ alert, to }: AlertChange) => {
      if (to === 'resolved' && alert.firedAtMs !== null) this.resolved.set(alert.id, { ...alert });
    });
  }

  /** Counts refreshes by outcome, beside tradewatch_notification_attempts_total. */
  registerMetrics(registry: Registry): void {
    this.outcomes = new Counter({
      name: 'tradewatch_alertmanager_refreshes_total',
      help: 'Periodic re-sends of active alerts to Alertmanager, by outcome (sent, failed).',
      labelNames: ['outcome'],
      registers: [registry],
    });
  }

  start(): void {
    if (this.targets.length === 0 || this.timer) return;
    void this.refresh();
    this.timer = setInterval(() => void this.refresh(), REFRESH_MS);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  /** Sends the current alerts to every Alertmanager once (also called by the timer). */
  refresh(nowMs = Date.now()): Promise<void> {
    if (this.running) return this.running;
    for (const [id, alert] of this.resolved)
      if (nowMs - (alert.resolvedAtMs ?? nowMs) > RESOLVED_RESEND_MS) this.resolved.delete(id);
    const firing = this.manager.active().filter((a) => a.state === 'firing');
    const alerts = [...firing, ...this.resolved.values()];
    const done = Promise.all(
      this.targets.map(async ({ channel, url }) => {
        const wanted = alerts.filter(
          (a) => LEVELS.indexOf(a.level) >= LEVELS.indexOf(channel.minLevel),
        );
        if (wanted.length === 0) return;
        const result: SendResult = await postJson(
          alertsEndpoint(url),
          wanted.map((a) => postableAlert(a, this.instance, nowMs)),
          this.options.timeoutMs,
        );
        this.outcomes?.inc({ outcome: result.ok ? 'sent' : 'failed' });
        if (!result.ok) this.options.onFailure(channel.label, result.error);
      }),
    ).then(() => {
      this.running = null;
    });
    this.running = done;
    return done;
  }
}
