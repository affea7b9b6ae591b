import {
  BROKER_KEY,
  ENGINE_KEY,
  parseTimestamp,
  positionPnl,
  SUMMARY_KEY,
  symbolOfKey,
} from '../contract/index.js';
import type { AccountSummary, BrokerStatus, Heartbeat, KeyEntry, SymbolState } from './types.js';

/** A finite number, or null: NaN, ±Infinity, strings and missing fields all read as "no value". */
export function num(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

export function str(value: unknown): string | null {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : null;
}

/** Fields of a `chart_` value that are not indicators. */
const CHART_FIELDS = new Set([
  'price',
  'dt',
  'position_size',
  'position_price',
  'sl_price',
  'tp_price',
  'unrealized_pnl',
  'contract_size',
  'quote_to_account_rate',
]);

/**
 * One `chart_` key as the dashboard shows it; `accountCurrency` decides where its P&L counts,
 * `timeZone` how a naive `position_opened_at` is read.
 */
export function symbolState(
  entry: KeyEntry,
  accountCurrency: string | null = null,
  timeZone = 'UTC',
): SymbolState | null {
  const symbol = symbolOfKey(entry.key);
  if (symbol === null) return null;
  const v = entry.value ?? {};
  const price = num(v.price);
  const size = num(v.position_size) ?? 0;
  const entryPrice = size !== 0 ? num(v.position_price) : null;
  const slPrice = num(v.sl_price);
  const tpPrice = num(v.tp_price);
  const direction = Math.sign(size);
  const quoteCurrency =
    typeof v.quote_currency === 'string' && v.quote_currency.trim()
      ? v.quote_currency.trim()
      : null;
  const pnl = positionPnl({
    size,
    price,
    entryPrice,
    enginePnl: num(v.unrealized_pnl),
    quoteCurrency,
    contractSize: num(v.contract_size),
    quoteToAccountRate: num(v.quote_to_account_rate),
    accountCurrency,
  });
  const distance = (level: number | null, sign: number) =>
    size !== 0 && price !== null && price !== 0 && level !== null
      ? ((level - price) / price) * 100 * sign
      : null;
  const openedAt = size !== 0 ? str(v.position_opened_at) : null;
  const indicators: Record<string, number> = {};
  for (const field in v) {
    const n = num(v[field]);
    if (n !== null && !CHART_FIELDS.has(field)) indicators[field] = n;
  }
  return {
    symbol,
    key: entry.key,
    price,
    dt: str(v.dt),
    positionSize: size,
    side: direction > 0 ? 'Long' : direction < 0 ? 'Short' : null,
    entryPrice,
    slPrice,
    tpPrice,
    unrealizedPnl: pnl?.inAccountCurrency ? pnl.amount : null,
    pnl,
    quoteCurrency,
    contractSize: Math.max(0, num(v.contract_size) ?? 0) || 1,
    // Long: the stop is below, so (price − sl) / price; short: the reverse.
    slDistancePct: distance(slPrice, -direction),
    tpDistancePct: distance(tpPrice, direction),
    pnlPct:
      size !== 0 && price !== null && entryPrice !== null && entryPrice !== 0
        ? ((price - entryPrice) / entryPrice) * 100 * direction
        : null,
    openedAtMs: openedAt === null ? null : parseTimestamp(openedAt, timeZone),
    // |size| × price × contract size is the P&L rule with an entry of 0: the same currency rules.
    notional: positionPnl({
      size: Math.abs(size),
      price,
      entryPrice: 0,
      enginePnl: null,
      quoteCurrency,
      contractSize: num(v.contract_size),
      quoteToAccountRate: num(v.quote_to_account_rate),
      accountCurrency,
    }),
    indicators,
    updatedAtMs: entry.updatedAtMs,
    error: entry.error,
  };
}

export function accountSummary(entries: {
  get(key: string): KeyEntry | undefined;
}): AccountSummary | null {
  const entry = entries.get(SUMMARY_KEY);
  if (!entry) return null;
  const v = entry.value ?? {};
  return {
    cash: num(v.cash),
    equity: num(v.value) ?? num(v.equity),
    balance: num(v.balance),
    marginLevel: num(v.margin_level),
    currency: str(v.currency),
    dailyPnl: num(v.daily_pnl),
    realizedPnl: num(v.realized_pnl),
    updatedAtMs: entry.updatedAtMs,
  };
}

export function heartbeat(entries: { get(key: string): KeyEntry | undefined }): Heartbeat | null {
  const entry = entries.get(ENGINE_KEY);
  if (!entry) return null;
  const v = entry.value ?? {};
  return {
    status: str(v.status),
    pid: num(v.pid),
    startedAt: str(v.started_at),
    version: str(v.version),
    mode: str(v.mode),
    updatedAtMs: entry.updatedAtMs,
  };
}

export function brokerStatus(entries: {
  get(key: string): KeyEntry | undefined;
}): BrokerStatus | null {
  const entry = entries.get(BROKER_KEY);
  if (!entry) return null;
  const v = entry.value ?? {};
  return {
    connected: typeof v.connected === 'boolean' ? v.connected : null,
    server: str(v.server),
    account: str(v.account),
    updatedAtMs: entry.updatedAtMs,
  };
}
