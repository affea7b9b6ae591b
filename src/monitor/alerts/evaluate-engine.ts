import type { RuleId, RuleSet } from '../../contract/alert-rules.js';
import { LEVELS, type Level } from '../../contract/index.js';
import type { EngineEvent, Snapshot } from '../../reader/types.js';
import { engineResolution } from './resolution.js';
import { type Alert, alertKey, beyond, type Observation, type Scope } from './types.js';

/** Engine-raised alerts without a `key` are named by their message under this prefix. */
export const UNKEYED_PREFIX = 'message:';

const money = (value: number, currency: string | null) =>
  `${value.toLocaleString('en-US', { maximumFractionDigits: 2 })}${currency ? ` ${currency}` : ''}`;

export interface EngineContext {
  rules: RuleSet;
  isActive: (key: string) => boolean;
  /** This engine's active engine-raised alerts (they persist until resolved or expired). */
  activeEngineAlerts: readonly Alert[];
  /** Whether this engine's database has been read since the dashboard started (a vanished file alerts). */
  everRead: boolean;
  /** Whether this snapshot's new journal events are seen for the first time. */
  freshEvents: boolean;
  nowMs: number;
}

/**
 * Whether the engine cannot speak for itself: stale, stopped, missing or unreadable. Rules that
 * read its data are then muted (neither fire nor resolve) so one CRITICAL says it all.
 */
export function engineSilent(s: Snapshot): boolean {
  return (
    s.state === 'stale' ||
    s.state === 'down' ||
    s.state === 'waiting' ||
    s.problem?.kind === 'error'
  );
}

const PRESENCE: readonly RuleId[] = ['stale', 'database', 'clock'];
const DATA: readonly RuleId[] = [
  'engine-error',
  'broker',
  'position-loss',
  'daily-loss',
  'margin',
  'engine-alert',
];

/** Engine rules over one snapshot. */
export function evaluateEngine(
  s: Snapshot,
  ctx: EngineContext,
): { scope: Scope; observations: Observation[]; muted: boolean } {
  const { rules } = ctx;
  const muted = engineSilent(s);
  const observations: Observation[] = [];
  const observe = (rule: RuleId, subject: string, value: number | null, message: string) =>
    observations.push({ rule, engine: s.engine, subject, value, message });

  if (s.state === 'stale' || s.state === 'down')
    observe('stale', 'engine', null, `Engine ${s.engine} is ${s.state}: ${s.stateReason}`);
  if (s.clockWarning) observe('clock', 'engine', null, `Engine ${s.engine}: ${s.clockWarning}`);
  if (s.problem?.kind === 'error')
    observe('database', 'engine', null, `Cannot read ${s.engine}'s database: ${s.problem.message}`);
  else if (s.state === 'waiting' && ctx.everRead)
    observe('database', 'engine', null, `Engine ${s.engine}'s database is gone: ${s.stateReason}`);

  if (!muted) {
    if (s.heartbeat?.status === 'error')
      observe('engine-error', 'engine', null, `Engine ${s.engine} reports status 'error'`);
    if (s.broker?.connected === false)
      observe(
        'broker',
        'broker',
        null,
        `Broker disconnected${s.broker.server ? ` (${s.broker.server})` : ''}`,
      );
    numericRules(s, ctx, observe);
    observations.push(...engineAlerts(s, ctx));
  }
  const enabled = (ids: readonly RuleId[]) => ids.filter((id) => rules[id].enabled);
  return {
    scope: {
      engine: s.engine,
      rules: enabled(muted ? PRESENCE : [...PRESENCE, ...DATA]),
      resolvedBy: engineResolution(s),
    },
    observations: observations.filter((o) => rules[o.rule].enabled),
    muted,
  };
}

function numericRules(
  s: Snapshot,
  { rules, isActive }: EngineContext,
  observe: (rule: RuleId, subject: string, value: number | null, message: string) => void,
): void {
  const currency = s.summary?.currency ?? null;
  const check = (rule: RuleId, subject: string, value: number) => {
    const { threshold, clear } = rules[rule];
    const direction = rule === 'margin' ? 'below' : 'above';
    if (threshold === null || clear === null) return false;
    return beyond(direction, value, threshold, clear, isActive(alertKey(rule, s.engine, subject)));
  };
  const limit = (rule: RuleId) => money(rules[rule].threshold ?? 0, currency);
  let unrealized = 0;
  for (const p of s.positions) {
    if (p.unrealizedPnl === null) continue;
    unrealized += p.unrealizedPnl;
    if (check('position-loss', p.symbol, -p.unrealizedPnl))
      observe(
        'position-loss',
        p.symbol,
        -p.unrealizedPnl,
        `${p.symbol} ${p.side ?? ''} position is losing ${money(-p.unrealizedPnl, currency)} (limit ${limit('position-loss')})`,
      );
  }
  const dayLoss = -(s.today.totalPnl + unrealized);
  if (check('daily-loss', 'today', dayLoss))
    observe(
      'daily-loss',
      'today',
      dayLoss,
      `Today's loss is ${money(dayLoss, currency)} realized + unrealized (limit ${limit('daily-loss')})`,
    );
  const margin = s.summary?.marginLevel;
  if (margin != null && check('margin', 'account', margin))
    observe(
      'margin',
      'account',
      margin,
      `Margin level ${margin.toFixed(0)} % (minimum ${rules.margin.threshold} %)`,
    );
}

/**
 * Alerts the engine raises: `type = 'alert'` events. With `data.key` one persists until an
 * event with the same key and `resolved: true`; without a key it is named by its message and
 * resolves after `engine-alert.expire`.
 */
function engineAlerts(s: Snapshot, ctx: EngineContext): Observation[] {
  const expireMs = ctx.rules['engine-alert'].expireMs ?? Number.POSITIVE_INFINITY;
  const open = new Map<string, Observation & { sinceMs: number }>();
  for (const a of ctx.activeEngineAlerts)
    open.set(a.subject, {
      rule: 'engine-alert',
      engine: s.engine,
      subject: a.subject,
      value: null,
      message: a.message,
      level: a.level,
      sinceMs: a.startedAtMs,
    });
  if (ctx.freshEvents) {
    for (const event of s.newEvents) {
      if (event.type !== 'alert') continue;
      const subject = subjectOf(event);
      if (event.data?.resolved === true) {
        open.delete(subject);
        continue;
      }
      const sinceMs = event.tsMs ?? ctx.nowMs;
      open.set(subject, {
        rule: 'engine-alert',
        engine: s.engine,
        subject,
        value: null,
        message: event.message ?? '(no message)',
        level: levelOf(event.level),
        sinceMs,
      });
    }
  }
  return [...open.values()]
    .filter((o) => !o.subject.startsWith(UNKEYED_PREFIX) || ctx.nowMs - o.sinceMs < expireMs)
    .map(({ sinceMs: _, ...o }) => o);
}

function subjectOf(event: EngineEvent): string {
  const key = event.data?.key;
  if (typeof key === 'string' && key.trim()) return key.trim().slice(0, 200);
  const text = `${event.symbol ? `${event.symbol}: ` : ''}${event.message ?? ''}`;
  return `${UNKEYED_PREFIX}${text.slice(0, 200)}`;
}

function levelOf(level: string | null): Level {
  return (LEVELS as readonly string[]).includes(level ?? '') ? (level as Level) : 'INFO';
}
