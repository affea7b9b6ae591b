import type { TradeInput } from '../../src/state/index.js';
import type { Instrument } from './market.js';

export interface Position {
  side: 'long' | 'short';
  qty: number;
  entry: number;
  sl: number;
  tp: number;
  openedAt: Date;
}

/** P&L in account currency (USD); JPY-quoted gains are converted at the current rate. */
export function pnlOf(instrument: Instrument, position: Position, price: number): number {
  const direction = position.side === 'long' ? 1 : -1;
  const raw = (price - position.entry) * position.qty * direction;
  return instrument.spec.symbol.endsWith('JPY') ? raw / price : raw;
}

/**
 * The demo strategy: RSI(14) mean reversion. Opens long below 30 and short above 70, with
 * SL/TP at 12 and 18 ticks of volatility; closes at SL, TP, or when RSI crosses back over 50.
 */
export class Portfolio {
  readonly positions = new Map<string, Position>();
  cash: number;
  realizedToday = 0;

  constructor(readonly startingCash: number) {
    this.cash = startingCash;
  }

  /** Decides for one instrument after its tick. Returns a closed trade or an opened position. */
  decide(instrument: Instrument, now: Date): { closed?: TradeInput; opened?: Position } {
    const symbol = instrument.spec.symbol;
    const price = instrument.price;
    const rsi = instrument.rsi;
    const position = this.positions.get(symbol);
    if (position) {
      const long = position.side === 'long';
      const hitSl = long ? price <= position.sl : price >= position.sl;
      const hitTp = long ? price >= position.tp : price <= position.tp;
      const reverted = rsi !== null && (long ? rsi >= 55 : rsi <= 45);
      if (!hitSl && !hitTp && !reverted) return {};
      const pnl = Number(pnlOf(instrument, position, price).toFixed(2));
      this.positions.delete(symbol);
      this.cash += pnl;
      this.realizedToday += pnl;
      const exitReason = hitSl ? 'stop-loss' : hitTp ? 'take-profit' : 'signal';
      return {
        closed: {
          symbol,
          side: position.side,
          qty: position.qty,
          entry_price: position.entry,
          exit_price: price,
          entry_time: position.openedAt,
          exit_time: now,
          pnl,
          exit_reason: exitReason,
        },
      };
    }
    if (rsi === null || (rsi > 30 && rsi < 70)) return {};
    const side = rsi <= 30 ? 'long' : 'short';
    const step = instrument.price * instrument.spec.tickVolatility;
    const sign = side === 'long' ? 1 : -1;
    const opened: Position = {
      side,
      qty: instrument.spec.lotSize,
      entry: price,
      sl: instrument.round(price - sign * 12 * step),
      tp: instrument.round(price + sign * 18 * step),
      openedAt: now,
    };
    this.positions.set(symbol, opened);
    return { opened };
  }

  unrealized(instruments: Map<string, Instrument>): number {
    let total = 0;
    for (const [symbol, position] of this.positions) {
      const instrument = instruments.get(symbol);
      if (instrument) total += pnlOf(instrument, position, instrument.price);
    }
    return total;
  }
}
