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
  type Signed,
  signedMoney,
  signedPercent,
  type TimeView,
  timeView,
} from './format.js';

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
    lastUpdate: timeView(s.lastUpdateMs, ctx.nowMs, ctx.timeZone),
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

/** Account cards: equity, cash, today's P&L, drawdown from today's high, margin. */
export function accountModel(s: Snapshot, ctx: ViewContext) {
  const currency = s.summary?.currency ?? null;
  const equity = s.summary?.equity ?? null;
  const unrealized = s.positions.reduce((sum, p) => sum + (p.unrealizedPnl ?? 0), 0);
  const foreign = s.positions.filter((p) => p.pnl !== null && !p.pnl.inAccountCurrency).length;
  const todayPnl = s.summary?.dailyPnl ?? (s.summary ? s.today.totalPnl + unrealized : null);
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
  };
}

interface PositionRow {
  symbol: string;
  href: string;
  side: string;
  quantity: string;
  entry: string;
  current: string;
  pnl: PnlView;
  sl: string;
  tp: string;
  slDistance: Signed;
  tpDistance: string;
  error: string | null;
}

export function positionRows(s: Snapshot, ctx: ViewContext): PositionRow[] {
  const currency = s.summary?.currency ?? null;
  return s.positions.map((p) => {
    const digits = pricePrecision(p.price, p.entryPrice, p.slPrice, p.tpPrice);
    return {
      symbol: p.symbol,
      href: symbolHref(p.symbol, s.engine, ctx),
      side: p.side ?? MISSING,
      quantity: formatQuantity(Math.abs(p.positionSize)),
      entry: formatPrice(p.entryPrice, digits),
      current: formatPrice(p.price, digits),
      pnl: pnlView(p, currency),
      sl: formatPrice(p.slPrice, digits),
      tp: formatPrice(p.tpPrice, digits),
      slDistance: signedPercent(p.slDistancePct),
      tpDistance: formatPercent(p.tpDistancePct, 2),
      error: p.error,
    };
  });
}

/** A position's P&L as shown, with a note when it is not in the account currency. */
export interface PnlView extends Signed {
  note: string | null;
}

/**
 * In the account currency when known (contract: positionPnl), else in its own currency,
 * labelled with it and marked as left out of account totals and alerts.
 */
export function pnlView(p: SymbolState, accountCurrency: string | null): PnlView {
  const pnl = p.pnl;
  if (!pnl) return { ...signedMoney(null, null), note: null };
  if (pnl.inAccountCurrency) return { ...signedMoney(pnl.amount, accountCurrency), note: null };
  return {
    ...signedMoney(pnl.amount, pnl.currency),
    note: `in ${pnl.currency}: no quote_to_account_rate, so not in account totals or alerts`,
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
      const first = ctx.history.today(s.engine, `price:${sym.symbol}`)?.first ?? null;
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

export function tradeRows(
  trades: readonly Trade[],
  currency: string | null,
  ctx: ViewContext,
  limit = 10,
) {
  return trades
    .slice(-limit)
    .reverse()
    .map((t) => {
      const digits = pricePrecision(t.entryPrice, t.exitPrice);
      return {
        time: timeView(t.exitTimeMs, ctx.nowMs, ctx.timeZone),
        symbol: t.symbol,
        side: t.side ? t.side[0]?.toUpperCase() + t.side.slice(1) : MISSING,
        quantity: formatQuantity(t.qty),
        entry: formatPrice(t.entryPrice, digits),
        exit: formatPrice(t.exitPrice, digits),
        pnl: signedMoney(t.pnl, currency),
      };
    });
}

function symbolHref(symbol: string, engine: string, ctx: ViewContext): string {
  const query = ctx.engineNames.length > 1 ? `?engine=${encodeURIComponent(engine)}` : '';
  return `/live/symbol/${encodeURIComponent(symbol)}${query}`;
}

export type { TimeView };
