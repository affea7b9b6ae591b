import type { AlertFields } from '../../contract/alert-json.js';
import type { RuleId } from '../../contract/alert-rules.js';
import type { Level } from '../../contract/index.js';

/** pending: the condition holds but not yet for the rule's `for`; firing; resolved. */
export type AlertState = 'pending' | 'firing' | 'resolved';

/**
 * One alert: one rule about one subject (a mount, a symbol, the engine) over its lifetime. The
 * fields its JSON form shows are contract's `AlertFields`, narrowed here.
 */
export interface Alert extends AlertFields {
  /** `rule|engine|subject`: at most one pending or firing alert per key. */
  key: string;
  rule: RuleId;
  level: Level;
  state: AlertState;
  /** When a notification about it was last queued. */
  notifiedAtMs: number | null;
}

/** A condition that holds now (rules report only the ones that hold). */
export interface Observation {
  rule: RuleId;
  engine: string | null;
  subject: string;
  value: number | null;
  message: string;
  /** Overrides the rule's level (alerts the engine raises carry their own). */
  level?: Level;
}

/** What one evaluation covers: active alerts of these rules (and engine) not observed resolve. */
export interface Scope {
  engine: string | null;
  rules: readonly RuleId[];
  /** What resolved an alert of this scope, for its message and RESOLVED notification. */
  resolvedBy?: (rule: RuleId, subject: string) => string;
}

export function alertKey(rule: RuleId, engine: string | null, subject: string): string {
  return `${rule}|${engine ?? ''}|${subject}`;
}

/** Whether a number is beyond a threshold, with hysteresis once the alert is active. */
export function beyond(
  direction: 'above' | 'below',
  value: number,
  threshold: number,
  clear: number,
  active: boolean,
): boolean {
  if (direction === 'above') return active ? value >= clear : value > threshold;
  return active ? value <= clear : value < threshold;
}
