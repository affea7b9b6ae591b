import type { KeyEntry, Snapshot, SymbolState, Trade, TradeStats } from '../reader/types.js';

/**
 * The JSON API's shapes, in snake_case like the original design. Times are ISO-8601 UTC; ages
 * are milliseconds as of `generated_at`.
 */

/**
 * The API's one rule for numbers: a fraction is cut to 12 significant digits, which removes
 * float noise (−2099.9999999986585 → −2100) and keeps every digit a price or amount has.
 * Integers (ids, epoch milliseconds, counts) are exact already and pass unchanged.
 *
 * @example JSON.stringify({ pnl: -2099.9999999986585 }, apiNumbers) // '{"pnl":-2100}'
 */
export function apiNumbers(_key: string, value: unknown): unknown {
  return typeof value === 'number' && Number.isFinite(value) && !Number.isInteger(value)
    ? Number(value.toPrecision(12))
    : value;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const age = (ms: number | null, nowMs: number) => (ms === null ? null : Math.max(0, nowMs - ms));

export function engineJson(s: Snapshot, nowMs: number) {
  return {
    name: s.engine,
    path: s.path,
    state: s.state,
    reason: s.stateReason,
    problem: s.problem,
    schema_version: s.schemaVersion,
    snapshot_version: s.version,
    /** The newest `updated_at`: the engine's clock, shown as data. */
    last_update: iso(s.lastUpdateMs),
    last_update_age_ms: age(s.lastUpdateMs, nowMs),
    /** When the dashboard last saw the file change, on its own clock: what `state` is measured from. */
    last_change: iso(s.lastChangeMs),
    last_change_age_ms: age(s.lastChangeMs, nowMs),
    clock_skew_ms: s.clockSkewMs,
    clock_warning: s.clockWarning,
    heartbeat: s.heartbeat && {
      status: s.heartbeat.status,
      pid: s.heartbeat.pid,
      started_at: s.heartbeat.startedAt,
      version: s.heartbeat.version,
      mode: s.heartbeat.mode,
      updated_at: iso(s.heartbeat.updatedAtMs),
      age_ms: age(s.heartbeat.updatedAtMs, nowMs),
    },
    keys: s.keys.length,
    key_errors: s.keys.filter((k) => k.error !== null).length,
  };
}

export function positionJson(p: SymbolState) {
  return {
    symbol: p.symbol,
    side: p.side,
    quantity: p.positionSize,
    entry_price: p.entryPrice,
    current_price: p.price,
    /** Account currency; null when the P&L is in another currency without a rate. */
    unrealized_pnl: p.unrealizedPnl,
    /** The P&L in whichever currency it is in, and whether account totals include it. */
    pnl: p.pnl?.amount ?? null,
    pnl_currency: p.pnl?.currency ?? null,
    pnl_in_account_currency: p.pnl?.inAccountCurrency ?? null,
    quote_currency: p.quoteCurrency,
    contract_size: p.contractSize,
    sl_price: p.slPrice,
    tp_price: p.tpPrice,
    sl_distance_pct: p.slDistancePct,
    tp_distance_pct: p.tpDistancePct,
    pnl_pct: p.pnlPct,
    opened_at: iso(p.openedAtMs),
    /** |size| × price × contract size, in `notional_currency` (the account's when known). */
    notional: p.notional?.amount ?? null,
    notional_currency: p.notional?.currency ?? null,
  };
}

/** `GET /api/live/status`: the original design's shape — the raw summary and open positions. */
export function liveStatusJson(s: Snapshot, nowMs: number) {
  const summary = s.keys.find((k) => k.key === 'summary');
  return {
    summary: summary?.value ?? {},
    positions: s.positions.map(positionJson),
    engine: s.engine,
    state: s.state,
    last_update: iso(s.lastUpdateMs),
    generated_at: iso(nowMs),
  };
}

export function tradeJson(t: Trade) {
  return {
    id: t.id,
    symbol: t.symbol,
    side: t.side,
    qty: t.qty,
    entry_price: t.entryPrice,
    exit_price: t.exitPrice,
    entry_time: t.entryTime,
    exit_time: iso(t.exitTimeMs),
    pnl: t.pnl,
    exit_reason: t.exitReason,
  };
}

export function statsJson(stats: TradeStats) {
  return {
    total_trades: stats.total,
    winning_trades: stats.winning,
    losing_trades: stats.losing,
    win_rate: stats.winRate,
    total_pnl: stats.totalPnl,
    largest_win: stats.largestWin,
    largest_loss: stats.largestLoss,
  };
}

function keyJson(k: KeyEntry, nowMs: number) {
  return {
    key: k.key,
    value: k.value,
    updated_at: k.updatedAt,
    age_ms: age(k.updatedAtMs, nowMs),
    bytes: k.bytes,
    error: k.error,
  };
}

/** `GET /api/v1/state`: the whole snapshot. */
export function stateJson(s: Snapshot, nowMs: number) {
  return {
    engine: engineJson(s, nowMs),
    summary: s.summary && {
      cash: s.summary.cash,
      equity: s.summary.equity,
      balance: s.summary.balance,
      margin_level: s.summary.marginLevel,
      currency: s.summary.currency,
      daily_pnl: s.summary.dailyPnl,
      realized_pnl: s.summary.realizedPnl,
      updated_at: iso(s.summary.updatedAtMs),
    },
    broker: s.broker && {
      connected: s.broker.connected,
      server: s.broker.server,
      account: s.broker.account,
      updated_at: iso(s.broker.updatedAtMs),
    },
    symbols: s.symbols.map((sym) => ({
      ...positionJson(sym),
      price: sym.price,
      dt: sym.dt,
      position_size: sym.positionSize,
      indicators: sym.indicators,
      updated_at: iso(sym.updatedAtMs),
      error: sym.error,
    })),
    positions: s.positions.map(positionJson),
    today: { day: s.day, ...statsJson(s.today) },
    recent_trades: s.recentTrades.map(tradeJson),
    recent_events: s.recentEvents.map((e) => ({
      id: e.id,
      ts: e.ts,
      type: e.type,
      level: e.level,
      symbol: e.symbol,
      message: e.message,
      data: e.data,
    })),
    keys: s.keys.map((k) => keyJson(k, nowMs)),
    generated_at: iso(nowMs),
  };
}
