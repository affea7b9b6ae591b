/**
 * Well-known `live_status` keys and the shapes of their JSON values. Every field is optional:
 * readers must cope with any subset, and with extra fields, which are shown generically.
 */

export const SUMMARY_KEY = 'summary';
export const ENGINE_KEY = 'engine';
export const BROKER_KEY = 'broker';
/** Per-instrument keys are `chart_<SYMBOL>`, e.g. `chart_EURUSD`. */
export const CHART_KEY_PREFIX = 'chart_';

/** Alert and event levels, lowest first. */
export const LEVELS = ['INFO', 'WARNING', 'ERROR', 'CRITICAL'] as const;
export type Level = (typeof LEVELS)[number];

/** `chart_<SYMBOL>` key for a symbol. */
export function chartKey(symbol: string): string {
  return CHART_KEY_PREFIX + symbol;
}

/** The symbol of a `chart_<SYMBOL>` key, or null for any other key. */
export function symbolOfKey(key: string): string | null {
  return key.startsWith(CHART_KEY_PREFIX) && key.length > CHART_KEY_PREFIX.length
    ? key.slice(CHART_KEY_PREFIX.length)
    : null;
}

/** Any JSON value as written by the engine. */
export type JsonValue =
  | null
  | boolean
  | number
  | string
  | JsonValue[]
  | { [field: string]: JsonValue | undefined };

/** A JSON object value: what every `live_status` row must hold. */
export type JsonObject = { [field: string]: JsonValue | undefined };

/**
 * A value the writer accepts for a well-known key: the known fields with their types, plus any
 * other field. The index signature is `any`, not `unknown`, on purpose: TypeScript gives values
 * typed with an `interface` or a class no implicit index signature, and only `any` accepts them
 * (a known field of the wrong type still fails to compile).
 */
// biome-ignore lint/suspicious/noExplicitAny: see above; `unknown` rejects interface-typed values.
export type OpenObject<Known> = Known & { [field: string]: any };

/** `summary`: the account. */
export interface SummaryFields {
  /** Free cash. */
  cash?: number;
  /** Equity (cash plus open positions at market). */
  value?: number;
  balance?: number;
  equity?: number;
  margin_level?: number;
  /** ISO 4217 code, e.g. `USD`. */
  currency?: string;
  daily_pnl?: number;
  realized_pnl?: number;
}
export type SummaryValue = OpenObject<SummaryFields>;

/** `chart_<SYMBOL>`: one instrument. Numeric fields not listed here are charted as indicators. */
export interface ChartFields {
  price?: number;
  /** Bar time, ISO 8601. */
  dt?: string;
  /** Signed: > 0 long, < 0 short, 0 flat. */
  position_size?: number;
  /** Average entry price of the open position. */
  position_price?: number;
  sl_price?: number;
  tp_price?: number;
  /** When the open position was opened, ISO 8601 (like trade times): its age is shown. */
  position_opened_at?: string;
  /**
   * Open profit or loss in the ACCOUNT currency. When given it wins over anything the dashboard
   * computes (see positionPnl).
   */
  unrealized_pnl?: number;
  /** ISO code of the currency prices are quoted in (`JPY` for USDJPY). Missing = account currency. */
  quote_currency?: string;
  /** Quote-currency value of a price move of 1 per unit of `position_size` (default 1). */
  contract_size?: number;
  /** Account-currency units per quote-currency unit (1 / 147.2 for JPY in a USD account). */
  quote_to_account_rate?: number;
}
export type ChartValue = OpenObject<ChartFields>;

/** `engine`: the heartbeat. */
export interface EngineFields {
  /** e.g. `running`, `stopping`, `error`. */
  status?: string;
  pid?: number;
  /** ISO 8601. */
  started_at?: string;
  version?: string;
  /** `live` or `paper`. */
  mode?: string;
}
export type EngineValue = OpenObject<EngineFields>;

/** `broker`: the broker connection. */
export interface BrokerFields {
  connected?: boolean;
  server?: string;
  account?: string;
  balance?: number;
  equity?: number;
  margin_level?: number;
}
export type BrokerValue = OpenObject<BrokerFields>;

/** The `data` of a `live_events` row with `type = 'trade'`: one closed trade. */
export interface TradeData extends JsonObject {
  symbol: string;
  /** `long` or `short`. */
  side: string;
  qty?: number;
  entry_price?: number;
  exit_price?: number;
  /** ISO 8601. */
  entry_time?: string;
  /** ISO 8601. */
  exit_time?: string;
  /** Realised profit or loss in account currency. */
  pnl: number;
  /** Why it closed, in the engine's words: `signal`, `stop-loss`, `take-profit`, `manual`... */
  exit_reason?: string;
}
