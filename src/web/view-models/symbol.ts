import { tradeStats } from '../../contract/trade-stats.js';
import type { Snapshot, Trade } from '../../reader/types.js';
import type { ViewContext } from '../types.js';
import {
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
import { pnlView, tradeRows } from './live.js';

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
    slDistance: signedPercent(sym?.slDistancePct),
    updated: timeView(sym?.updatedAtMs, ctx.nowMs, ctx.timeZone),
    indicators: Object.entries(sym?.indicators ?? {}).map(([name, value]) => ({
      name,
      value: formatNumber(value, 2),
    })),
    stats: {
      total: String(stats.total),
      winRate: formatPercent(stats.winRate === null ? null : stats.winRate * 100, 1),
      totalPnl: signedMoney(stats.total ? stats.totalPnl : null, currency),
      largestWin: signedMoney(stats.largestWin, currency),
      largestLoss: signedMoney(stats.largestLoss, currency),
    },
    trades: tradeRows(own, currency, ctx, 20),
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
