/**
 * Money rules of the contract (docs/schema.md, "Money and currency"): which currency a
 * position's profit or loss is in, and whether it may be added to account totals and compared
 * with account-currency alert limits.
 */

/** What a `chart_<SYMBOL>` value and the account say about one position's P&L. */
export interface PnlInput {
  /** Signed position size; 0 = flat. */
  size: number;
  price: number | null;
  entryPrice: number | null;
  /** The engine's `unrealized_pnl`: account currency, wins over anything computed. */
  enginePnl: number | null;
  /** `quote_currency`: the currency a price difference is in (ISO code); null = not given. */
  quoteCurrency: string | null;
  /** `contract_size`: what one unit of price difference is worth per unit of size (default 1). */
  contractSize: number | null;
  /** `quote_to_account_rate`: account-currency units per one quote-currency unit. */
  quoteToAccountRate: number | null;
  /** The account's `summary.currency`; null = not given. */
  accountCurrency: string | null;
}

/** A position's P&L and the currency it is in. */
export interface PositionPnl {
  amount: number;
  /** ISO code when known (the account's, or the quote currency); null when nobody said. */
  currency: string | null;
  /** True when the amount may be added to account totals and checked against account limits. */
  inAccountCurrency: boolean;
  /** `engine`: `unrealized_pnl`; `computed`: (price − entry) × size × contract size; `converted`: that × the rate. */
  source: 'engine' | 'computed' | 'converted';
}

const sameCurrency = (a: string, b: string) => a.trim().toUpperCase() === b.trim().toUpperCase();
const finite = (n: number | null): n is number => n !== null && Number.isFinite(n);

/**
 * A position's unrealised P&L under the contract's rules, or null when flat or not computable.
 * A computed P&L is in account currency only when that is known: no `quote_currency` (the v1
 * convention: prices are in account currency), the quote currency equals the account's, or a
 * positive `quote_to_account_rate` converts it. Otherwise it stays in the quote currency.
 *
 * @example
 * positionPnl({ size: 10_000, price: 147.2, entryPrice: 147.0, enginePnl: null,
 *   quoteCurrency: 'JPY', contractSize: null, quoteToAccountRate: null, accountCurrency: 'USD' });
 * // → { amount: 2000, currency: 'JPY', inAccountCurrency: false, source: 'computed' }
 */
export function positionPnl(input: PnlInput): PositionPnl | null {
  const { size, price, entryPrice, enginePnl, quoteCurrency, accountCurrency } = input;
  if (size === 0) return null;
  if (finite(enginePnl))
    return {
      amount: enginePnl,
      currency: accountCurrency,
      inAccountCurrency: true,
      source: 'engine',
    };
  if (!finite(price) || !finite(entryPrice)) return null;
  const multiplier = finite(input.contractSize) && input.contractSize > 0 ? input.contractSize : 1;
  const amount = (price - entryPrice) * size * multiplier;
  const rate = input.quoteToAccountRate;
  if (
    quoteCurrency === null ||
    (accountCurrency !== null && sameCurrency(quoteCurrency, accountCurrency))
  )
    return { amount, currency: accountCurrency, inAccountCurrency: true, source: 'computed' };
  if (finite(rate) && rate > 0)
    return {
      amount: amount * rate,
      currency: accountCurrency,
      inAccountCurrency: true,
      source: 'converted',
    };
  return { amount, currency: quoteCurrency, inAccountCurrency: false, source: 'computed' };
}
