import type { PositionPnl } from '../contract/index.js';
import type { TradeStats } from '../contract/trade-stats.js';
import type { ReadProblem } from './engine-db.js';

export type { TradeStats };

/**
 * What an engine looks like from the dashboard:
 * - live: updated within `--stale-after`;
 * - stale: no change of the file seen for longer than that (dashboard clock);
 * - down: the engine said it stopped, or nothing for 10 × `--stale-after`;
 * - waiting: no database (or no table) yet — the engine may start later;
 * - error: the database cannot be read, or the engine's heartbeat says `error`.
 */
export type EngineState = 'live' | 'stale' | 'down' | 'waiting' | 'error';

/** One `live_status` key as read, with its parsed value or the reason it has none. */
export interface KeyEntry {
  key: string;
  /** Stored JSON text; null when it is over the display size limit. */
  raw: string | null;
  bytes: number;
  updatedAt: string;
  /** `updatedAt` as epoch ms; null when it cannot be read as a time. */
  updatedAtMs: number | null;
  /** The parsed object, or null with `error` set. */
  value: Record<string, unknown> | null;
  error: string | null;
}

export interface SymbolState {
  symbol: string;
  key: string;
  price: number | null;
  /** Bar time as written. */
  dt: string | null;
  /** Signed: > 0 long, < 0 short, 0 flat. */
  positionSize: number;
  side: 'Long' | 'Short' | null;
  entryPrice: number | null;
  slPrice: number | null;
  tpPrice: number | null;
  /**
   * Open P&L in the ACCOUNT currency: the engine's `unrealized_pnl`, else computed when it is
   * known to be in account currency; null otherwise (then `pnl` holds it in its own currency).
   * Only this one is added to totals and checked against account-currency alert limits.
   */
  unrealizedPnl: number | null;
  /** The P&L with its currency, whichever it is in (see positionPnl in the contract). */
  pnl: PositionPnl | null;
  /** `quote_currency` as written, or null (prices then count as account currency). */
  quoteCurrency: string | null;
  /** `contract_size`, 1 when not given. */
  contractSize: number;
  /** % of price the market must move against the position to hit the stop; negative = through it. */
  slDistancePct: number | null;
  /** % of price the market must move in favour to reach the target. */
  tpDistancePct: number | null;
  /** How far the price has moved in the position's favour since entry, in % of entry. */
  pnlPct: number | null;
  /** `position_opened_at` as epoch ms; null when flat or not given. */
  openedAtMs: number | null;
  /**
   * |size| × price × contract size, in account currency when that is known (the same rules as
   * `pnl`), else in the quote currency; null when flat or without a price.
   */
  notional: PositionPnl | null;
  /** Every other numeric field, charted generically (`rsi14`, `ema20`...). */
  indicators: Record<string, number>;
  updatedAtMs: number | null;
  error: string | null;
}

export interface AccountSummary {
  cash: number | null;
  equity: number | null;
  balance: number | null;
  marginLevel: number | null;
  currency: string | null;
  dailyPnl: number | null;
  realizedPnl: number | null;
  updatedAtMs: number | null;
}

export interface Heartbeat {
  status: string | null;
  pid: number | null;
  startedAt: string | null;
  version: string | null;
  mode: string | null;
  updatedAtMs: number | null;
}

export interface BrokerStatus {
  connected: boolean | null;
  server: string | null;
  account: string | null;
  updatedAtMs: number | null;
}

export interface Trade {
  id: number;
  symbol: string;
  side: string;
  qty: number | null;
  entryPrice: number | null;
  exitPrice: number | null;
  entryTime: string | null;
  /** Exit time (the event's `ts`) as epoch ms. */
  exitTimeMs: number;
  pnl: number;
  /** `exit_reason`: why it closed, in the engine's words (`signal`, `stop-loss`...). */
  exitReason: string | null;
}

export interface EngineEvent {
  id: number;
  tsMs: number | null;
  ts: string;
  type: string;
  level: string | null;
  symbol: string | null;
  message: string | null;
  data: Record<string, unknown> | null;
}

/** One engine's state at one moment: immutable, shared by every request until the next change. */
export interface Snapshot {
  engine: string;
  path: string;
  /** Increases by one on every change of anything below. */
  version: number;
  builtAtMs: number;
  state: EngineState;
  /** Why the state is what it is, in words for the page. */
  stateReason: string;
  problem: ReadProblem | null;
  schemaVersion: number | null;
  /** Newest `updated_at` of any key: the ENGINE's clock, data to show, never proof of life. */
  lastUpdateMs: number | null;
  /**
   * When the dashboard last saw the engine's file change, on the dashboard's clock: what
   * live/stale/down are measured from. Null before any data.
   */
  lastChangeMs: number | null;
  /** How far the newest engine timestamp lies in the future (beyond a minute); else null. */
  clockSkewMs: number | null;
  /** The sentence that explains `clockSkewMs` (pages, /readyz, the `clock` alert); else null. */
  clockWarning: string | null;
  heartbeat: Heartbeat | null;
  summary: AccountSummary | null;
  broker: BrokerStatus | null;
  /** `chart_<SYMBOL>` keys, by symbol. */
  symbols: SymbolState[];
  /** Symbols with a non-zero position. */
  positions: SymbolState[];
  /** Every key, by name, with parse errors. */
  keys: KeyEntry[];
  /** Journal events first seen in this snapshot's tick. */
  newEvents: EngineEvent[];
  /** The latest journal events other than trades, newest last (at most 200). */
  recentEvents: EngineEvent[];
  /** The latest trades, newest last (at most 50). */
  recentTrades: Trade[];
  /** Trades closed today, in the engine's time zone. */
  today: TradeStats;
  /** `YYYY-MM-DD` of "today" in the engine's time zone. */
  day: string;
}
