/** Random-walk instruments with plausible prices and precision, and a Wilder RSI. */

export interface InstrumentSpec {
  symbol: string;
  start: number;
  /** Decimal places quoted. */
  digits: number;
  /** Standard deviation of one tick's relative move. */
  tickVolatility: number;
  /** Units per position. */
  lotSize: number;
  kind: 'fx' | 'index' | 'crypto';
}

const KNOWN: Record<string, Omit<InstrumentSpec, 'symbol'>> = {
  EURUSD: { start: 1.085, digits: 5, tickVolatility: 0.00012, lotSize: 100_000, kind: 'fx' },
  GBPUSD: { start: 1.272, digits: 5, tickVolatility: 0.00014, lotSize: 100_000, kind: 'fx' },
  USDJPY: { start: 147.2, digits: 3, tickVolatility: 0.00013, lotSize: 100_000, kind: 'fx' },
  US500: { start: 5600, digits: 2, tickVolatility: 0.00015, lotSize: 10, kind: 'index' },
  NAS100: { start: 19_800, digits: 2, tickVolatility: 0.0002, lotSize: 5, kind: 'index' },
  BTCUSD: { start: 65_000, digits: 2, tickVolatility: 0.0004, lotSize: 1, kind: 'crypto' },
  ETHUSD: { start: 3_400, digits: 2, tickVolatility: 0.0005, lotSize: 20, kind: 'crypto' },
};

export const DEFAULT_SYMBOLS = ['EURUSD', 'USDJPY', 'US500', 'BTCUSD', 'ETHUSD'];

export function instrumentSpec(symbol: string): InstrumentSpec {
  const known = KNOWN[symbol];
  return known
    ? { symbol, ...known }
    : { symbol, start: 100, digits: 2, tickVolatility: 0.0003, lotSize: 100, kind: 'index' };
}

/** A standard normal sample (Box–Muller). */
function gaussian(random: () => number): number {
  const u = 1 - random();
  const v = random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

export class Instrument {
  price: number;
  private avgGain: number | null = null;
  private avgLoss: number | null = null;
  private readonly warmup: number[] = [];

  constructor(
    readonly spec: InstrumentSpec,
    private readonly random: () => number,
    private readonly period = 14,
  ) {
    this.price = spec.start;
  }

  round(value: number): number {
    return Number(value.toFixed(this.spec.digits));
  }

  /** Moves the price one tick and updates the RSI. */
  step(): number {
    const previous = this.price;
    this.price = this.round(previous * (1 + this.spec.tickVolatility * gaussian(this.random)));
    this.updateRsi(this.price - previous);
    return this.price;
  }

  private updateRsi(change: number): void {
    const gain = Math.max(change, 0);
    const loss = Math.max(-change, 0);
    if (this.avgGain === null || this.avgLoss === null) {
      this.warmup.push(change);
      if (this.warmup.length === this.period) {
        this.avgGain = this.warmup.reduce((a, c) => a + Math.max(c, 0), 0) / this.period;
        this.avgLoss = this.warmup.reduce((a, c) => a + Math.max(-c, 0), 0) / this.period;
      }
      return;
    }
    this.avgGain = (this.avgGain * (this.period - 1) + gain) / this.period;
    this.avgLoss = (this.avgLoss * (this.period - 1) + loss) / this.period;
  }

  /** RSI(14), or null until 14 changes have been seen. */
  get rsi(): number | null {
    if (this.avgGain === null || this.avgLoss === null) return null;
    if (this.avgLoss === 0) return 100;
    return Number((100 - 100 / (1 + this.avgGain / this.avgLoss)).toFixed(2));
  }
}
