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

/** `YYYY-MM-DD` of the Monday starting the week of `day` (ISO weeks). */
export function mondayOf(day: string): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() - ((date.getUTCDay() + 6) % 7));
  return date.toISOString().slice(0, 10);
}

/** Realised P&L of today, this week (from Monday) and this month, in the engine's time zone. */
export function periodPnl(
  daily: ReadonlyArray<{ day: string; pnl: number }>,
  nowMs: number,
  timeZone: string,
): { day: number; week: number; month: number } {
  const today = localDay(nowMs, timeZone);
  const monday = mondayOf(today);
  const month = today.slice(0, 8);
  const sum = (keep: (day: string) => boolean) =>
    daily.reduce((total, d) => (keep(d.day) ? total + d.pnl : total), 0);
  return {
    day: sum((d) => d === today),
    week: sum((d) => d >= monday && d <= today),
    month: sum((d) => d.startsWith(month) && d <= today),
  };
}

export interface PerformanceModel {
  days: Array<{ day: string; pnl: Signed; trades: number }>;
  chart: Array<{ day: string; pnl: number }>;
  maxDrawdown: Signed;
  currentDrawdown: Signed;
  winRate: string;
  totalPnl: Signed;
  /** Realised P&L of today, this week and this month (journal). */
  periods: { day: Signed; week: Signed; month: Signed };
}

export function performanceModel(
  trades: readonly Trade[],
  equity: ReadonlyArray<readonly [number, number]>,
  currency: string | null,
  timeZone: string,
  nowMs: number,
): PerformanceModel {
  const daily = dailyPnl(trades, timeZone);
  const periods = periodPnl(daily, nowMs, timeZone);
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
    periods: {
      day: signedMoney(periods.day, currency),
      week: signedMoney(periods.week, currency),
      month: signedMoney(periods.month, currency),
    },
  };
}
