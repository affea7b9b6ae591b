import type { Snapshot } from '../../reader/types.js';
import type { ViewContext } from '../types.js';
import {
  formatCompact,
  formatDuration,
  formatPrice,
  formatQuantity,
  MISSING,
  pricePrecision,
  type Signed,
  signedMoney,
  signedPercent,
  timeView,
} from './format.js';
import { symbolHref } from './links.js';

export interface PositionRow {
  symbol: string;
  href: string;
  side: string;
  quantity: string;
  entry: string;
  current: string;
  pnl: Signed;
  /** Price move since entry in the position's favour, in %. */
  pnlPct: Signed;
  sl: string;
  tp: string;
  slDistance: Signed;
  tpDistance: Signed;
  /** Opening time (clock) and how long ago; null when the engine does not say. */
  opened: { iso: string; local: string; duration: string } | null;
  /** |size| × price × contract size, labelled with its quote currency. */
  notional: string;
  error: string | null;
}

/** Open positions, with the numbers a trader looks at first: P&L and the distance to SL and TP. */
export function positionRows(s: Snapshot, ctx: ViewContext): PositionRow[] {
  const currency = s.summary?.currency ?? null;
  return s.positions.map((p) => {
    const digits = pricePrecision(p.price, p.entryPrice, p.slPrice, p.tpPrice);
    const opened = timeView(p.openedAtMs, ctx.nowMs, ctx.timeZone);
    return {
      symbol: p.symbol,
      href: symbolHref(p.symbol, s.engine, ctx),
      side: p.side ?? MISSING,
      quantity: formatQuantity(Math.abs(p.positionSize)),
      entry: formatPrice(p.entryPrice, digits),
      current: formatPrice(p.price, digits),
      pnl: signedMoney(p.unrealizedPnl, currency),
      pnlPct: signedPercent(p.pnlPct),
      sl: formatPrice(p.slPrice, digits),
      tp: formatPrice(p.tpPrice, digits),
      slDistance: signedPercent(p.slDistancePct),
      tpDistance: signedPercent(p.tpDistancePct),
      opened:
        opened && p.openedAtMs !== null
          ? {
              iso: opened.iso,
              local: opened.local,
              duration: formatDuration(ctx.nowMs - p.openedAtMs),
            }
          : null,
      notional:
        p.notional === null
          ? MISSING
          : `${formatCompact(p.notional)} ${p.quoteCurrency ?? 'quote'}`,
      error: p.error,
    };
  });
}

/**
 * The account's exposure: open notional per quote currency, and leverage (notional ÷ equity)
 * when every position is quoted in the account's currency, so that the sum means something.
 */
export function exposureModel(s: Snapshot) {
  const account = s.summary?.currency ?? null;
  const byCurrency = new Map<string, number>();
  for (const p of s.positions) {
    if (p.notional === null) continue;
    const quote = p.quoteCurrency ?? 'quote';
    byCurrency.set(quote, (byCurrency.get(quote) ?? 0) + p.notional);
  }
  const equity = s.summary?.equity ?? null;
  const only = byCurrency.size === 1 ? [...byCurrency][0] : undefined;
  const comparable = only !== undefined && account !== null && only[0] === account;
  return {
    notional: byCurrency.size
      ? [...byCurrency].map(([c, v]) => `${formatCompact(v)} ${c}`).join(' · ')
      : MISSING,
    leverage:
      comparable && equity !== null && equity > 0 ? `${(only[1] / equity).toFixed(2)}×` : MISSING,
    /** Why leverage is missing, for the card's title. */
    note:
      byCurrency.size === 0
        ? 'no open position with a price'
        : comparable
          ? 'open notional ÷ equity'
          : 'positions are not all quoted in the account currency (quote_currency), so no leverage is computed',
  };
}
