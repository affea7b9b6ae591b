import { hostname } from 'node:os';
import { alertJson } from '../../contract/alert-json.js';
import { RULES } from '../../contract/alert-rules.js';
import type { Level } from '../../contract/index.js';
import type { Alert } from '../alerts/types.js';

/** Why a message is sent. */
export type NotifyEvent = 'firing' | 'resolved' | 'repeat' | 'test';

/** What the outbox stores and every channel formats: the alert as it was when queued. */
export interface Notification {
  event: NotifyEvent;
  alert: Alert;
  queuedAtMs: number;
}

const ICON: Record<Level, string> = { INFO: 'ℹ️', WARNING: '⚠️', ERROR: '🔴', CRITICAL: '🚨' };

/** One line for chat channels and email subjects. */
export function title(n: Notification): string {
  const { alert } = n;
  const where = alert.engine ?? hostname();
  if (n.event === 'test') return `tradewatch test message from ${hostname()}`;
  const what =
    n.event === 'resolved' ? 'RESOLVED' : n.event === 'repeat' ? 'STILL FIRING' : 'FIRING';
  const icon = n.event === 'resolved' ? '✅' : ICON[alert.level];
  return `${icon} ${alert.level} ${what} · ${where} · ${RULES[alert.rule]?.describe ?? alert.rule}`;
}

/** The full text: title, the alert's message, and when it started (and ended). */
export function body(n: Notification): string {
  if (n.event === 'test')
    return `${title(n)}\nIf you can read this, tradewatch can reach this channel.`;
  const { alert } = n;
  const lines = [title(n), alert.message];
  if (alert.firedAtMs !== null)
    lines.push(`Firing since ${new Date(alert.firedAtMs).toISOString()}`);
  if (n.event === 'resolved' && alert.resolvedAtMs !== null)
    lines.push(`Resolved at ${new Date(alert.resolvedAtMs).toISOString()}`);
  return lines.join('\n');
}

/** The generic webhook's JSON: stable field names for anyone's receiver. */
export function webhookPayload(n: Notification) {
  return {
    source: 'tradewatch',
    version: 1,
    event: n.event,
    title: title(n),
    text: body(n),
    alert: alertJson(n.alert),
    host: hostname(),
    queued_at: new Date(n.queuedAtMs).toISOString(),
  };
}

/** A stand-in alert for `tradewatch notify-test`. */
export function testNotification(nowMs = Date.now()): Notification {
  return {
    event: 'test',
    queuedAtMs: nowMs,
    alert: {
      id: 0,
      key: 'test',
      rule: 'engine-alert',
      engine: null,
      subject: 'test',
      level: 'INFO',
      state: 'firing',
      value: null,
      threshold: null,
      message: 'tradewatch test message',
      startedAtMs: nowMs,
      firedAtMs: nowMs,
      resolvedAtMs: null,
      ackedAtMs: null,
      notifiedAtMs: null,
    },
  };
}
