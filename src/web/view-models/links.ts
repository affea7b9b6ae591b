import type { ViewContext } from '../types.js';

/**
 * The symbol page's URL; the engine is named only when there are several.
 *
 * @example symbolHref('EURUSD', 'main', ctx) // '/live/symbol/EURUSD'
 */
export function symbolHref(symbol: string, engine: string, ctx: ViewContext): string {
  const query = ctx.engineNames.length > 1 ? `?engine=${encodeURIComponent(engine)}` : '';
  return `/live/symbol/${encodeURIComponent(symbol)}${query}`;
}
