/**
 * The owner name host metrics are recorded under in the history sidecar (not a valid engine
 * name, so it never clashes). Shared by the monitor that records and the pages that chart.
 */
export const HOST_OWNER = '@host';

/**
 * A symbol as it appears inside a history series name: `%` and `:` percent-encoded, so
 * `ind:SYMBOL:field` splits at the right `:` for CCXT names like `BTC/USDT:USDT`. Symbols
 * without either character keep their plain names (history recorded before stays readable).
 *
 * @example seriesSymbol('BTC/USDT:USDT') // 'BTC/USDT%3AUSDT'
 */
export const seriesSymbol = (symbol: string): string =>
  symbol.replace(/%/g, '%25').replace(/:/g, '%3A');

/**
 * History series names of one symbol: its price, position size, and indicators (`indicators`
 * is the prefix every one of them starts with, and no other symbol's).
 *
 * @example symbolSeries('EURUSD').indicator('rsi14') // 'ind:EURUSD:rsi14'
 */
export function symbolSeries(symbol: string) {
  const name = seriesSymbol(symbol);
  return {
    price: `price:${name}`,
    position: `position:${name}`,
    indicators: `ind:${name}:`,
    indicator: (field: string) => `ind:${name}:${field}`,
  };
}
