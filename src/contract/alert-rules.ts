import { parseDuration } from './duration.js';
import { LEVELS, type Level } from './index.js';

export type RuleId =
  | 'cpu'
  | 'memory'
  | 'disk'
  | 'stale'
  | 'database'
  | 'clock'
  | 'engine-error'
  | 'broker'
  | 'position-loss'
  | 'daily-loss'
  | 'margin'
  | 'engine-alert';

/** One rule's effective settings. Thresholds are in the rule's unit (see RULES). */
export interface RuleSettings {
  enabled: boolean;
  level: Level;
  /** How long the condition must hold before the alert fires (pending until then). */
  forMs: number;
  /** Fires beyond this value; null for rules that are a yes/no condition. */
  threshold: number | null;
  /** Once firing, resolves only back past this value (hysteresis). */
  clear: number | null;
  /** engine-alert only: an alert raised without a `key` resolves by itself after this long. */
  expireMs: number | null;
}

type Param = 'threshold' | 'clear' | 'for' | 'level' | 'expire';

export interface RuleSpec {
  id: RuleId;
  /** Host rules see host samples; engine rules see snapshots and are muted while it is stale. */
  scope: 'host' | 'engine' | 'engine-presence';
  /** Which side of the threshold is bad. */
  direction: 'above' | 'below' | null;
  unit: string;
  /** Allowed threshold range. */
  range: [number, number] | null;
  describe: string;
  defaults: RuleSettings;
  params: readonly Param[];
}

const NUMERIC: readonly Param[] = ['threshold', 'clear', 'for', 'level'];
const FLAG: readonly Param[] = ['for', 'level'];

function spec(
  id: RuleId,
  scope: RuleSpec['scope'],
  direction: RuleSpec['direction'],
  unit: string,
  range: RuleSpec['range'],
  describe: string,
  defaults: Omit<RuleSettings, 'enabled' | 'expireMs'> & { expireMs?: number },
  params: readonly Param[] = direction ? NUMERIC : FLAG,
): RuleSpec {
  return {
    id,
    scope,
    direction,
    unit,
    range,
    describe,
    defaults: { enabled: true, expireMs: null, ...defaults },
    params,
  };
}

const MONEY: [number, number] = [0, 1e15];
const PERCENT: [number, number] = [0, 100];

/** The built-in rules. Loss thresholds are positive amounts (a loss of 10,000 is above 9,000). */
export const RULES: Record<RuleId, RuleSpec> = {
  cpu: spec('cpu', 'host', 'above', '%', PERCENT, 'host CPU use', {
    level: 'WARNING',
    forMs: 60_000,
    threshold: 80,
    clear: 70,
  }),
  memory: spec('memory', 'host', 'above', '%', PERCENT, 'host memory use', {
    level: 'WARNING',
    forMs: 60_000,
    threshold: 85,
    clear: 80,
  }),
  disk: spec('disk', 'host', 'above', '%', PERCENT, 'disk use per mount', {
    level: 'ERROR',
    forMs: 0,
    threshold: 90,
    clear: 88,
  }),
  stale: spec('stale', 'engine-presence', null, '', null, 'engine stale or stopped', {
    level: 'CRITICAL',
    forMs: 0,
    threshold: null,
    clear: null,
  }),
  // A rollback-journal engine's lock can keep reads out for seconds; only a longer spell is news.
  database: spec('database', 'engine-presence', null, '', null, 'engine database unreadable', {
    level: 'CRITICAL',
    forMs: 15_000,
    threshold: null,
    clear: null,
  }),
  clock: spec('clock', 'engine-presence', null, '', null, 'engine timestamps in the future', {
    level: 'WARNING',
    forMs: 0,
    threshold: null,
    clear: null,
  }),
  'engine-error': spec('engine-error', 'engine', null, '', null, "heartbeat status 'error'", {
    level: 'ERROR',
    forMs: 0,
    threshold: null,
    clear: null,
  }),
  broker: spec('broker', 'engine', null, '', null, 'broker disconnected', {
    level: 'ERROR',
    forMs: 0,
    threshold: null,
    clear: null,
  }),
  'position-loss': spec(
    'position-loss',
    'engine',
    'above',
    'currency',
    MONEY,
    "an open position's unrealized loss",
    { level: 'WARNING', forMs: 0, threshold: 10_000, clear: 9_000 },
  ),
  'daily-loss': spec(
    'daily-loss',
    'engine',
    'above',
    'currency',
    MONEY,
    "today's realized + unrealized loss",
    { level: 'CRITICAL', forMs: 0, threshold: 30_000, clear: 27_000 },
  ),
  margin: spec('margin', 'engine', 'below', '%', [0, 1e6], 'margin level', {
    level: 'ERROR',
    forMs: 0,
    threshold: 150,
    clear: 170,
  }),
  'engine-alert': spec(
    'engine-alert',
    'engine',
    null,
    '',
    null,
    "alerts the engine raises (type 'alert' events)",
    { level: 'INFO', forMs: 0, threshold: null, clear: null, expireMs: 15 * 60_000 },
    ['expire'],
  ),
};

export const RULE_IDS = Object.keys(RULES) as RuleId[];
export type RuleSet = Record<RuleId, RuleSettings>;

/** One `--alert` setting: `cpu=90`, `cpu.clear=70`, `cpu.for=2m`, `cpu.level=ERROR`, `cpu=off`. */
export interface AlertSetting {
  rule: RuleId;
  param: Param | 'enabled';
  value: number | boolean | Level;
}

/** Parses one `--alert RULE[.PARAM]=VALUE`; throws an Error that says what is expected. */
export function parseAlertSetting(text: string): AlertSetting {
  const match = /^([a-z-]+)(?:\.([a-z]+))?=(.*)$/.exec(text.trim());
  if (!match)
    throw new Error(
      `expected RULE=VALUE or RULE.PARAM=VALUE (e.g. cpu=90, cpu.clear=70, cpu.for=2m, broker=off), got ${JSON.stringify(text)}`,
    );
  const [, ruleText = '', paramText, valueText = ''] = match;
  const rule = RULES[ruleText as RuleId];
  if (!rule)
    throw new Error(`unknown rule ${JSON.stringify(ruleText)}; rules: ${RULE_IDS.join(', ')}`);
  const value = valueText.trim();
  if (paramText === undefined) {
    if (value === 'off' || value === 'on')
      return { rule: rule.id, param: 'enabled', value: value === 'on' };
    if (!rule.params.includes('threshold'))
      throw new Error(`rule ${rule.id} has no threshold; use ${rule.id}=off or ${rule.id}=on`);
    return { rule: rule.id, param: 'threshold', value: number(rule, value) };
  }
  const param = paramText as Param;
  if (!rule.params.includes(param))
    throw new Error(
      `rule ${rule.id} has no setting ${JSON.stringify(paramText)}; it has: ${rule.params.join(', ')}`,
    );
  if (param === 'level') {
    const level = value.toUpperCase();
    if (!(LEVELS as readonly string[]).includes(level))
      throw new Error(`level must be one of ${LEVELS.join(', ')}, got ${JSON.stringify(value)}`);
    return { rule: rule.id, param, value: level as Level };
  }
  if (param === 'for' || param === 'expire') {
    const ms = parseDuration(value, 's');
    if (ms === null || ms > 7 * 86_400_000)
      throw new Error(
        `${rule.id}.${param} must be a duration up to 7d (like 0, 30s, 5m), got ${JSON.stringify(value)}`,
      );
    return { rule: rule.id, param, value: ms };
  }
  return { rule: rule.id, param, value: number(rule, value) };
}

function number(rule: RuleSpec, text: string): number {
  const value = Number(text);
  const [min, max] = rule.range ?? [0, 0];
  if (text === '' || !Number.isFinite(value) || value < min || value > max)
    throw new Error(
      `${rule.id} takes a number from ${min} to ${max}${rule.unit === '%' ? ' (%)' : ''}, got ${JSON.stringify(text)}`,
    );
  return value;
}

/**
 * The rule set after applying settings in order. A threshold given without a clear value moves
 * the clear value with it (same gap as the default); a clear value on the wrong side of its
 * threshold is an error, because the alert could never resolve.
 */
export function resolveRules(settings: readonly AlertSetting[]): RuleSet {
  const rules = Object.fromEntries(
    RULE_IDS.map((id) => [id, { ...RULES[id].defaults }]),
  ) as RuleSet;
  const clearGiven = new Set<RuleId>();
  for (const { rule, param, value } of settings) {
    const r = rules[rule];
    if (param === 'enabled') r.enabled = value as boolean;
    else if (param === 'level') r.level = value as Level;
    else if (param === 'for') r.forMs = value as number;
    else if (param === 'expire') r.expireMs = value as number;
    else if (param === 'clear') {
      r.clear = value as number;
      clearGiven.add(rule);
    } else {
      const { threshold, clear } = RULES[rule].defaults;
      r.threshold = value as number;
      if (!clearGiven.has(rule) && threshold !== null && clear !== null)
        r.clear = Math.max(0, (value as number) - (threshold - clear));
    }
  }
  for (const id of RULE_IDS) {
    const { direction } = RULES[id];
    const { threshold, clear } = rules[id];
    if (direction === null || threshold === null || clear === null) continue;
    const wrongSide = direction === 'above' ? clear > threshold : clear < threshold;
    if (wrongSide)
      throw new Error(
        `${id}.clear (${clear}) must be ${direction === 'above' ? 'at or below' : 'at or above'} its threshold (${threshold}), or the alert could never resolve`,
      );
  }
  return rules;
}
