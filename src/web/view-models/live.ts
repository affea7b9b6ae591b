import { symbolSeries } from '../../contract/series.js';
import type { Snapshot, SymbolState, Trade } from '../../reader/types.js';
import type { ViewContext } from '../types.js';
import {
  formatMoney,
  formatNumber,
  formatPercent,
  formatPrice,
  formatQuantity,
  MISSING,
  pricePrecision,
  signedMoney,
  signedPercent,
  type TimeView,
  timeView,
} from './format.js';
import { symbolHref } from './links.js';
import { exposureModel } from './positions.js';

/** The engine header: who, what state, since when, connected to what. */
export function headerModel(s: Snapshot, ctx: ViewContext) {
  const brokerConnected = s.broker?.connected;
  return {
    engine: s.engine,
    engines: ctx.engineNames.map((name) => ({
      name,
      current: name === s.engine,
      href: `?engine=${encodeURIComponent(name)}`,
    })),
    state: s.state,
    stateLabel: { live: 'Live', stale: 'Stale', down: 'Down', waiting: 'Waiting', error: 'Error' }[
      s.state
    ],
    reason: s.stateReason,
    /** The same clock as the state: when this dashboard last saw the engine's file change. */
    lastChange: timeView(s.lastChangeMs, ctx.nowMs, ctx.timeZone, ctx.hour12),
    clockWarning: s.clockWarning,
    mode: s.heartbeat?.mode ?? null,
    version: s.heartbeat?.version ?? null,
    pid: s.heartbeat?.pid ?? null,
    broker: s.broker
      ? {
          text:
            brokerConnected === true
              ? 'Connected'
              : brokerConnected === false
                ? 'Disconnected'
                : 'Unknown',
          tone: brokerConnected === true ? 'up' : brokerConnected === false ? 'down' : 'none',
          server: s.broker.server ?? MISSING,
        }
      : null,
    keyErrors: s.keys.filter((k) => k.error !== null).length,
  };
}

/**
 * Today's P&L: the engine's own `daily_pnl` when it writes one, else today's closed trades plus
 * open positions' unrealised P&L; null without an account summary.
 */
export function todayPnlOf(s: Snapshot): number | null {
  if (s.summary?.dailyPnl != null) return s.summary.dailyPnl;
  if (!s.summary) return null;
  return s.today.totalPnl + s.positions.reduce((sum, p) => sum + (p.unrealizedPnl ?? 0), 0);
}

/** Account cards: equity, cash, today's P&L, drawdown from today's high, margin. */
export function accountModel(s: Snapshot, ctx: ViewContext) {
  const currency = s.summary?.currency ?? null;
  const equity = s.summary?.equity ?? null;
  const unrealized = s.positions.reduce((sum, p) => sum + (p.unrealizedPnl ?? 0), 0);
  const foreign = s.positions.filter((p) => p.pnl !== null && !p.pnl.inAccountCurrency).length;
  const todayPnl = todayPnlOf(s);
  const day = ctx.history.today(s.engine, 'equity');
  const high = day && equity !== null ? Math.max(day.high, equity) : null;
  const drawdownPct =
    high !== null && equity !== null && high > 0 ? ((equity - high) / high) * 100 : null;
  return {
    hasSummary: s.summary !== null,
    equity: formatMoney(equity, currency),
    cash: formatMoney(s.summary?.cash, currency),
    balance: formatMoney(s.summary?.balance, currency),
    todayPnl: signedMoney(todayPnl, currency),
    unrealized: signedMoney(s.positions.length ? unrealized : null, currency),
    drawdown: signedPercent(drawdownPct),
    dayHigh: formatMoney(high, currency),
    marginLevel: formatPercent(s.summary?.marginLevel, 0),
    openPositions: s.positions.length,
    /** Positions whose P&L is in another currency without a rate: not in the Unrealised sum. */
    unrealizedNote: foreign
      ? `${foreign} position${foreign > 1 ? 's' : ''} in another currency not included`
      : null,
    exposure: exposureModel(s),
  };
}

/** The watch list: flat symbols with price, change since the day's first sample, and RSI. */
/** The watch list shows this many symbols; the rest are counted (all are on /state and the API). */
export const WATCH_LIMIT = 200;

export function watchRows(s: Snapshot, ctx: ViewContext, limit = WATCH_LIMIT) {
  return s.symbols
    .filter((sym) => sym.positionSize === 0)
    .slice(0, limit)
    .map((sym) => {
      const digits = pricePrecision(sym.price);
      const first = ctx.history.today(s.engine, symbolSeries(sym.symbol).price)?.first ?? null;
      const change =
        first !== null && sym.price !== null && first !== 0
          ? ((sym.price - first) / first) * 100
          : null;
      return {
        symbol: sym.symbol,
        href: symbolHref(sym.symbol, s.engine, ctx),
        price: formatPrice(sym.price, digits),
        change: signedPercent(change),
        rsi: formatNumber(rsiOf(sym), 1),
        error: sym.error,
      };
    });
}

/** Symbols without a position, beyond the watch list's limit. */
export function watchHidden(s: Snapshot, limit = WATCH_LIMIT): number {
  return Math.max(0, s.symbols.length - s.positions.length - limit);
}

export function rsiOf(sym: SymbolState): number | null {
  const field = Object.keys(sym.indicators).find((k) => /^rsi/i.test(k));
  return field ? (sym.indicators[field] ?? null) : null;
}

export function statsModel(s: Snapshot) {
  const currency = s.summary?.currency ?? null;
  const t = s.today;
  return {
    day: s.day,
    total: String(t.total),
    winning: String(t.winning),
    losing: String(t.losing),
    winRate: formatPercent(t.winRate === null ? null : t.winRate * 100, 1),
    totalPnl: signedMoney(t.total ? t.totalPnl : null, currency),
    largestWin: signedMoney(t.largestWin, currency),
    largestLoss: signedMoney(t.largestLoss, currency),
  };
}

/** Closed trades, newest first; `pnlValue` and `exitMs` let the table sort them in the browser. */
export function tradeRows(
  trades: readonly Trade[],
  currency: string | null,
  engine: string,
  ctx: ViewContext,
  limit = 10,
) {
  return trades
    .slice(-limit)
    .reverse()
    .map((t) => {
      const digits = pricePrecision(t.entryPrice, t.exitPrice);
      return {
        time: timeView(t.exitTimeMs, ctx.nowMs, ctx.timeZone, ctx.hour12),
        symbol: t.symbol,
        href: symbolHref(t.symbol, engine, ctx),
        side: t.side ? t.side[0]?.toUpperCase() + t.side.slice(1) : MISSING,
        quantity: formatQuantity(t.qty),
        entry: formatPrice(t.entryPrice, digits),
        exit: formatPrice(t.exitPrice, digits),
        pnl: signedMoney(t.pnl, currency),
        pnlValue: Number(t.pnl.toFixed(2)),
        reason: t.exitReason ?? MISSING,
        exitMs: t.exitTimeMs,
      };
    });
}

export type { TimeView };
