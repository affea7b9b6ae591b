/** Statistics of a list of closed trades, as the dashboard's pages and API show them. */
export interface TradeStats {
  total: number;
  winning: number;
  losing: number;
  /** winning / total, 0..1; null with no trades. */
  winRate: number | null;
  totalPnl: number;
  largestWin: number | null;
  largestLoss: number | null;
}

/**
 * Total, winning, losing, win rate, total P&L, largest win and loss — as in the original
 * monitoring ticket. Pure arithmetic on `pnl`, so the reader and the web layer share it.
 *
 * @example
 * tradeStats([{ pnl: 12.5 }, { pnl: -3 }]).winRate; // 0.5
 */
export function tradeStats(trades: readonly { readonly pnl: number }[]): TradeStats {
  let winning = 0;
  let losing = 0;
  let totalPnl = 0;
  let largestWin: number | null = null;
  let largestLoss: number | null = null;
  for (const { pnl } of trades) {
    totalPnl += pnl;
    if (pnl > 0) {
      winning++;
      largestWin = Math.max(largestWin ?? pnl, pnl);
    } else if (pnl < 0) {
      losing++;
      largestLoss = Math.min(largestLoss ?? pnl, pnl);
    }
  }
  return {
    total: trades.length,
    winning,
    losing,
    winRate: trades.length > 0 ? winning / trades.length : null,
    totalPnl,
    largestWin,
    largestLoss,
  };
}
