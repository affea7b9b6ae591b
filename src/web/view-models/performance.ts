import { localDay } from '../../contract/index.js';
import { tradeStats } from '../../contract/trade-stats.js';
import type { Trade } from '../../reader/types.js';
import { formatPercent, type Signed, signedMoney, signedPercent } from './format.js';

/** Realised P&L per local day, oldest first, for every day the journal holds. */
export function dailyPnl(
  trades: readonly Trade[],
  timeZone: string,
): Array<{ day: string; pnl: number; trades: number }> {
  const days = new Map<string, { pnl: number; trades: number }>();
  for (const t of trades) {
    const day = localDay(t.exitTimeMs, timeZone);
    const entry = days.get(day) ?? { pnl: 0, trades: 0 };
    entry.pnl += t.pnl;
    entry.trades++;
    days.set(day, entry);
  }
  return [...days]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([day, v]) => ({ day, pnl: Number(v.pnl.toFixed(2)), trades: v.trades }));
}

/**
 * Maximum and current drawdown of an equity series: the largest fall from a running peak, and
 * the fall from the peak to the last value, both as % of the peak (≤ 0).
 */
export function drawdown(points: ReadonlyArray<readonly [number, number]>): {
  maxPct: number | null;
  currentPct: number | null;
} {
  let peak = Number.NEGATIVE_INFINITY;
  let maxPct: number | null = null;
  let currentPct: number | null = null;
  for (const [, value] of points) {
    peak = Math.max(peak, value);
    if (peak <= 0) continue;
    currentPct = ((value - peak) / peak) * 100;
    maxPct = maxPct === null ? currentPct : Math.min(maxPct, currentPct);
  }
  return { maxPct, currentPct };
}

export interface PerformanceModel {
  days: Array<{ day: string; pnl: Signed; trades: number }>;
  chart: Array<{ day: string; pnl: number }>;
  maxDrawdown: Signed;
  currentDrawdown: Signed;
  winRate: string;
  totalPnl: Signed;
}

export function performanceModel(
  trades: readonly Trade[],
  equity: ReadonlyArray<readonly [number, number]>,
  currency: string | null,
  timeZone: string,
): PerformanceModel {
  const daily = dailyPnl(trades, timeZone);
  const dd = drawdown(equity);
  const stats = tradeStats(trades);
  return {
    days: daily
      .slice(-14)
      .reverse()
      .map((d) => ({ day: d.day, pnl: signedMoney(d.pnl, currency), trades: d.trades })),
    chart: daily.map(({ day, pnl }) => ({ day, pnl })),
    maxDrawdown: signedPercent(dd.maxPct),
    currentDrawdown: signedPercent(dd.currentPct),
    winRate: formatPercent(stats.winRate === null ? null : stats.winRate * 100, 1),
    totalPnl: signedMoney(stats.total ? stats.totalPnl : null, currency),
  };
}
