import type { Snapshot, SymbolState } from '../../reader/types.js';
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
  pnl: PnlView;
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
    const opened = timeView(p.openedAtMs, ctx.nowMs, ctx.timeZone, ctx.hour12);
    return {
      symbol: p.symbol,
      href: symbolHref(p.symbol, s.engine, ctx),
      side: p.side ?? MISSING,
      quantity: formatQuantity(Math.abs(p.positionSize)),
      entry: formatPrice(p.entryPrice, digits),
      current: formatPrice(p.price, digits),
      pnl: pnlView(p, currency),
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
          : `${formatCompact(p.notional.amount)} ${p.notional.currency ?? ''}`.trim(),
      error: p.error,
    };
  });
}

/**
 * The account's exposure: open notional per currency, and leverage (notional ÷ equity) when
 * every position's notional is in the account currency (contract: positionPnl), so that the
 * sum means something.
 */
export function exposureModel(s: Snapshot) {
  const byCurrency = new Map<string, number>();
  let allInAccount = true;
  for (const p of s.positions) {
    if (p.notional === null) continue;
    allInAccount &&= p.notional.inAccountCurrency;
    const currency = p.notional.currency ?? '';
    byCurrency.set(currency, (byCurrency.get(currency) ?? 0) + p.notional.amount);
  }
  const equity = s.summary?.equity ?? null;
  const total = [...byCurrency.values()].reduce((a, b) => a + b, 0);
  const comparable = byCurrency.size > 0 && allInAccount;
  return {
    notional: byCurrency.size
      ? [...byCurrency].map(([c, v]) => `${formatCompact(v)} ${c}`.trim()).join(' · ')
      : MISSING,
    leverage:
      comparable && equity !== null && equity > 0 ? `${(total / equity).toFixed(2)}×` : MISSING,
    /** What the leverage is, or why it is missing, for the card's title. */
    note:
      byCurrency.size === 0
        ? 'no open position with a price'
        : comparable
          ? 'open notional ÷ equity'
          : 'some positions are in another currency without quote_to_account_rate: no leverage',
  };
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
