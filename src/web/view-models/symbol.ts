import { tradeStats } from '../../contract/trade-stats.js';
import type { Snapshot, Trade } from '../../reader/types.js';
import type { ViewContext } from '../types.js';
import {
  formatDuration,
  formatNumber,
  formatPercent,
  formatPrice,
  formatQuantity,
  MISSING,
  pricePrecision,
  signedMoney,
  signedPercent,
  timeView,
} from './format.js';
import { tradeRows } from './live.js';
import { pnlView } from './positions.js';

/** `/live/symbol/:symbol`: the instrument, its position, its own performance, its raw fields. */
export function symbolModel(
  s: Snapshot,
  symbol: string,
  trades: readonly Trade[],
  ctx: ViewContext,
) {
  const sym = s.symbols.find((x) => x.symbol === symbol) ?? null;
  const currency = s.summary?.currency ?? null;
  const own = trades.filter((t) => t.symbol === symbol);
  const stats = tradeStats(own);
  const digits = pricePrecision(sym?.price, sym?.entryPrice, sym?.slPrice, sym?.tpPrice);
  const key = s.keys.find((k) => k.key === `chart_${symbol}`);
  return {
    symbol,
    found: sym !== null,
    digits,
    price: formatPrice(sym?.price, digits),
    side: sym?.side ?? 'Flat',
    quantity: formatQuantity(sym ? Math.abs(sym.positionSize) : null),
    entry: formatPrice(sym?.entryPrice, digits),
    sl: formatPrice(sym?.slPrice, digits),
    tp: formatPrice(sym?.tpPrice, digits),
    pnl: sym ? pnlView(sym, currency) : { ...signedMoney(null, null), note: null },
    pnlPct: signedPercent(sym?.pnlPct),
    slDistance: signedPercent(sym?.slDistancePct),
    tpDistance: signedPercent(sym?.tpDistancePct),
    updated: timeView(sym?.updatedAtMs, ctx.nowMs, ctx.timeZone, ctx.hour12),
    opened: timeView(sym?.openedAtMs, ctx.nowMs, ctx.timeZone, ctx.hour12),
    openFor: formatDuration(sym?.openedAtMs == null ? null : ctx.nowMs - sym.openedAtMs),
    // An indicator on the price's scale (EMA, VWAP, bands) gets the price's decimals.
    indicators: Object.entries(sym?.indicators ?? {}).map(([name, value]) => ({
      name,
      value: onPriceScale(value, sym?.price) ? formatPrice(value, digits) : formatNumber(value, 2),
    })),
    stats: {
      total: String(stats.total),
      winRate: formatPercent(stats.winRate === null ? null : stats.winRate * 100, 1),
      totalPnl: signedMoney(stats.total ? stats.totalPnl : null, currency),
      largestWin: signedMoney(stats.largestWin, currency),
      largestLoss: signedMoney(stats.largestLoss, currency),
    },
    trades: tradeRows(own, currency, s.engine, ctx, 20),
    fields: key?.value
      ? Object.entries(key.value).map(([name, value]) => ({
          name,
          value: JSON.stringify(value) ?? MISSING,
        }))
      : [],
    error: key?.error ?? null,
    /** Chart overlays: lines at entry, SL and TP; trade entry/exit markers. */
    overlays: {
      entry: sym?.entryPrice ?? null,
      sl: sym?.slPrice ?? null,
      tp: sym?.tpPrice ?? null,
      side: sym?.side ?? null,
      /** Decimal places of this symbol's prices, for the price and indicator axes. */
      digits,
      markers: own.slice(-200).flatMap((t) => {
        const entryMs = t.entryTime ? Date.parse(t.entryTime) : Number.NaN;
        const out: Array<{ t: number; y: number; kind: 'entry' | 'exit'; win: boolean }> = [];
        if (t.entryPrice !== null && Number.isFinite(entryMs))
          out.push({ t: entryMs, y: t.entryPrice, kind: 'entry', win: t.pnl > 0 });
        if (t.exitPrice !== null)
          out.push({ t: t.exitTimeMs, y: t.exitPrice, kind: 'exit', win: t.pnl > 0 });
        return out;
      }),
    },
  };
}

function onPriceScale(value: number, price: number | null | undefined): boolean {
  return typeof price === 'number' && price > 0 && value / price > 0.5 && value / price < 2;
}
