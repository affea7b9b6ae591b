import { HttpError } from '../http-error.js';
import type { EngineDirectory, EngineView } from '../types.js';
import { fleetSort } from '../view-models/fleet.js';
import { ownerOf, seriesFor } from './chart-series.js';
import { PAGES, type PageKind } from './panels.js';

/** What one open page needs from a stream: its page, engine and symbol, and its chart series. */
export interface StreamSubscription {
  /**
   * How this page's events are tagged on a shared stream (`symbol?engine=main&symbol=EURUSD`,
   * the page kind and its query), or null on a single-page stream whose events are named after
   * the panels.
   */
  tag: string | null;
  engine: string;
  page: PageKind;
  symbol: string | null;
  /** Chart series this page draws (exact names, or prefixes ending in ':'). */
  series: string[];
  /** Whose series: the engine's, or the host's (HOST_OWNER) on /system. */
  pointsFrom: string;
}

/** One browser's tabs share one stream: more pages than this on one stream is not a browser. */
export const MAX_SUBSCRIPTIONS = 64;

/** The query a page sends with its polls and names itself by on a shared stream. */
export function pageQuery(engine: string, symbol: string | null): string {
  return new URLSearchParams({ engine, ...(symbol ? { symbol } : {}) }).toString();
}

/**
 * What the `symbol` query slot means for a page: the symbol of /live/symbol, the sort order of
 * /fleet (checked), nothing elsewhere. The renderer keeps one render per value.
 */
export function pageVariant(page: PageKind, value: unknown): string | null {
  if (page === 'fleet') return fleetSort(value);
  return page === 'symbol' ? String(value ?? '') || null : null;
}

export function pageKind(value: unknown): PageKind {
  if (typeof value === 'string' && Object.hasOwn(PAGES, value)) return value as PageKind;
  throw new HttpError(404, 'unknown_page', `no live page ${JSON.stringify(value)}`);
}

export function subscription(
  tag: string | null,
  page: PageKind,
  engine: EngineView,
  symbol: string | null,
): StreamSubscription {
  return {
    tag,
    engine: engine.name,
    page,
    symbol,
    series: seriesFor(page, symbol),
    pointsFrom: ownerOf(page, engine.name),
  };
}

/**
 * The pages of a shared stream, from its `sub` values (`live?engine=main`,
 * `symbol?engine=main&symbol=EURUSD`). A page of an engine that is no longer configured is left
 * out (a tab open from before a restart), so the other tabs keep their stream; anything else
 * malformed is a 400.
 *
 * @example
 * parseSubscriptions(['live?engine=main'], engines); // [{ tag: 'live?engine=main', page: 'live', ... }]
 */
export function parseSubscriptions(
  values: unknown,
  engines: EngineDirectory,
): StreamSubscription[] {
  const list = typeof values === 'string' ? [values] : Array.isArray(values) ? values : [];
  if (list.length === 0 || list.length > MAX_SUBSCRIPTIONS)
    throw new HttpError(
      400,
      'bad_parameter',
      `give 1 to ${MAX_SUBSCRIPTIONS} sub parameters, each a page and its query (live?engine=main)`,
    );
  const out = new Map<string, StreamSubscription>();
  for (const value of list) {
    if (typeof value !== 'string') throw new HttpError(400, 'bad_parameter', 'sub must be text');
    const [pageText = '', queryText = ''] = value.split(/\?(.*)/s, 2);
    const page = pageKind(pageText);
    const params = new URLSearchParams(queryText);
    for (const name of params.keys())
      if (name !== 'engine' && name !== 'symbol')
        throw new HttpError(400, 'bad_parameter', `sub ${JSON.stringify(value)}: unknown ${name}`);
    const name = params.get('engine');
    const engine = name === null ? engines.list()[0] : engines.get(name);
    if (!engine) continue;
    const symbol = pageVariant(page, params.get('symbol'));
    const tag = `${page}?${pageQuery(engine.name, symbol)}`;
    out.set(tag, subscription(tag, page, engine, symbol));
  }
  return [...out.values()];
}
