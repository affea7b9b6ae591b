import { hostTimeZone, LEVELS, type Level, parseTimestamp } from '../contract/index.js';
import { isoNow } from './clock.js';
import { StateWriterError } from './errors.js';
import { checkKey, serializeObject } from './serialize.js';

/** A row for `live_events`, ready to insert. */
export interface EventRow {
  ts: string;
  type: string;
  level: Level | null;
  symbol: string | null;
  data: string;
}

/** A time as a `Date`, epoch milliseconds, or an ISO-8601 string (naive = this host's zone). */
export type TimeInput = Date | number | string;

type Side = 'long' | 'short' | 'buy' | 'sell';
/** A trade's side as the writer takes it: `long`, `Long`, `LONG` (the seed design writes `Long`)... */
export type TradeSide = Side | Capitalize<Side> | Uppercase<Side>;

/** A closed trade, as given to `StateWriter.recordTrade`. Extra fields are kept. */
export interface TradeInput {
  symbol: string;
  /** `long`/`short`; `buy`/`sell` are accepted and stored as `long`/`short`; any case ('Long', 'SELL'). */
  side: TradeSide;
  /** Realised profit or loss in account currency. */
  pnl: number;
  qty?: number;
  entry_price?: number;
  exit_price?: number;
  entry_time?: TimeInput;
  /** When the trade closed; defaults to now. It is the event's `ts`. */
  exit_time?: TimeInput;
  /** Why it closed, in the engine's words: `signal`, `stop-loss`, `take-profit`, `manual`... */
  exit_reason?: string;
  // biome-ignore lint/suspicious/noExplicitAny: `unknown` would reject trades typed with an interface or a class.
  [extra: string]: any;
}

const LEVEL_ALIASES: Record<string, Level> = {
  DEBUG: 'INFO',
  WARN: 'WARNING',
  FATAL: 'CRITICAL',
  CRIT: 'CRITICAL',
};

/**
 * A level in canonical form. Case and common aliases are repaired; an unknown level becomes
 * INFO with the original kept in the event's data, and is reported.
 */
export function normalizeLevel(level: string): { level: Level; unknown: boolean } {
  // Not String(level): an object without a prototype has no toString and would throw.
  const upper = typeof level === 'string' ? level.toUpperCase() : '';
  if ((LEVELS as readonly string[]).includes(upper))
    return { level: upper as Level, unknown: false };
  const alias = LEVEL_ALIASES[upper];
  return alias ? { level: alias, unknown: false } : { level: 'INFO', unknown: true };
}

/** Date's range is ±8.64e15 ms; beyond it (epoch nanoseconds, say) toISOString() throws. */
const MAX_DATE_MS = 8.64e15;

/** ISO-8601 UTC with milliseconds, or null for a time that cannot be read (or is out of Date's range). */
export function toIsoUtc(time: TimeInput): string | null {
  let ms: number | null;
  if (time instanceof Date) ms = time.getTime();
  else if (typeof time === 'number') ms = time;
  else if (typeof time === 'string') ms = parseTimestamp(time, hostTimeZone());
  else ms = null;
  if (ms === null || !Number.isFinite(ms) || Math.abs(ms) > MAX_DATE_MS) return null;
  return new Date(ms).toISOString();
}

/** Sides in any case ('Long', 'SELL'), stored as long/short. */
const SIDES = new Map<string, 'long' | 'short'>([
  ['long', 'long'],
  ['short', 'short'],
  ['buy', 'long'],
  ['sell', 'short'],
]);

/** A string as JSON text, anything else by its type: safe for any input (BigInt, no prototype). */
function describeLevel(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : `a ${typeof value}`;
}

export type Built =
  | { ok: true; row: EventRow; warning: StateWriterError | null }
  | { ok: false; error: StateWriterError };

/** Runs a builder; reading the input may throw (a getter, a Proxy): then that input is invalid. */
export function buildSafely(build: () => Built): Built {
  try {
    return build();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return invalid(`cannot read the input: ${reason}`);
  }
}

function invalid(message: string): Built {
  return { ok: false, error: new StateWriterError('invalid-event', message) };
}

/** Builds an engine event row: an alert or note of the given type and level. */
export function buildEvent(
  type: string,
  level: string,
  message: string,
  data: Record<string, unknown> | undefined,
  maxBytes: number,
): Built {
  if (checkKey(type) !== null) return invalid('event type must be a short non-empty string');
  if (typeof message !== 'string') return invalid('event message must be a string');
  const normalized = normalizeLevel(level);
  const payload: Record<string, unknown> = { ...data, message };
  if (normalized.unknown)
    payload.original_level = typeof level === 'string' ? level : describeLevel(level);
  const serialized = serializeObject(payload, maxBytes);
  if (!serialized.ok) return serialized;
  const symbol = typeof data?.symbol === 'string' ? data.symbol : null;
  const warning = normalized.unknown
    ? new StateWriterError('invalid-event', `unknown level ${describeLevel(level)}; stored as INFO`)
    : serialized.repaired;
  const row = { ts: isoNow(), type, level: normalized.level, symbol, data: serialized.json };
  return { ok: true, row, warning };
}

/** Builds a `type = 'trade'` row; its `ts` is the exit time. */
export function buildTrade(trade: TradeInput, maxBytes: number): Built {
  if (typeof trade !== 'object' || trade === null) return invalid('trade must be an object');
  if (typeof trade.symbol !== 'string' || checkKey(trade.symbol) !== null) {
    return invalid('trade.symbol must be a non-empty string without control characters');
  }
  const side = SIDES.get(typeof trade.side === 'string' ? trade.side.toLowerCase() : '');
  if (side === undefined)
    return invalid(
      `trade.side must be long, short, buy or sell (any case), got ${describeLevel(trade.side)}`,
    );
  if (typeof trade.pnl !== 'number' || !Number.isFinite(trade.pnl)) {
    return invalid('trade.pnl must be a finite number');
  }
  if (trade.exit_reason !== undefined && typeof trade.exit_reason !== 'string') {
    return invalid('trade.exit_reason must be a string');
  }
  const exitTime = toIsoUtc(trade.exit_time ?? Date.now());
  if (exitTime === null) return invalid('trade.exit_time is not a valid time');
  const data: Record<string, unknown> = { ...trade, side, exit_time: exitTime };
  if (trade.entry_time !== undefined) {
    const entryTime = toIsoUtc(trade.entry_time);
    if (entryTime === null) return invalid('trade.entry_time is not a valid time');
    data.entry_time = entryTime;
  }
  const serialized = serializeObject(data, maxBytes);
  if (!serialized.ok) return serialized;
  const row: EventRow = {
    ts: exitTime,
    type: 'trade',
    level: null,
    symbol: trade.symbol,
    data: serialized.json,
  };
  return { ok: true, row, warning: serialized.repaired };
}
