import { HOST_OWNER, symbolSeries } from '../../contract/series.js';
import type { HistoryReader } from '../types.js';
import type { PageKind } from './panels.js';

/** Charts look back this far (the default history retention). */
export const CHART_WINDOW_MS = 86_400_000;
/** A page load gets at most this many points per series (time-bucketed averages). */
export const CHART_POINTS = 1000;
/**
 * The `charts` panel carries each series' latest samples, so a page that misses pushes (the
 * polling fallback, a tab that was asleep for a while) fills the gap from any one panel it gets.
 */
export const TAIL_POINTS = 30;
const TAIL_WINDOW_MS = 10 * 60_000;

/** Host series charted on /system (see hostSeries). */
const SYSTEM_SERIES = [
  'cpu_percent',
  'memory_percent',
  'load_1m',
  'net_rx_bytes_per_sec',
  'net_tx_bytes_per_sec',
  'disk_percent:',
  'engine_cpu_percent:',
];

/** Chart series a page draws: exact names, or prefixes ending in ':'. */
export function seriesFor(page: PageKind, symbol: string | null): string[] {
  if (page === 'live') return ['equity'];
  if (page === 'system') return SYSTEM_SERIES;
  if (page === 'symbol' && symbol) {
    const names = symbolSeries(symbol);
    return [names.price, names.indicators];
  }
  return [];
}

/** Whose history a page charts: the host's on /system, else the engine's. */
export const ownerOf = (page: PageKind, engine: string) =>
  page === 'system' ? HOST_OWNER : engine;

type Series = Record<string, Array<[number, number]>>;

function collect(
  history: HistoryReader,
  page: PageKind,
  engine: string,
  symbol: string | null,
  read: (owner: string, name: string) => Array<[number, number]>,
): Series {
  const owner = ownerOf(page, engine);
  const out: Series = {};
  for (const pattern of seriesFor(page, symbol)) {
    const names = pattern.endsWith(':') ? history.seriesNames(owner, pattern) : [pattern];
    for (const name of names) out[name] = read(owner, name);
  }
  return out;
}

/**
 * What a page's charts draw: at load, up to 24 h per series, bucketed; with `tail`, only the
 * latest TAIL_POINTS samples of each (within ten minutes) — what the `charts` panel carries for
 * an open page to append whatever it has not drawn yet.
 */
export function chartSeries(
  history: HistoryReader,
  page: PageKind,
  engine: string,
  symbol: string | null,
  nowMs: number,
  tail = false,
): Series {
  const sinceMs = nowMs - (tail ? TAIL_WINDOW_MS : CHART_WINDOW_MS);
  return collect(history, page, engine, symbol, (owner, name) => {
    const points = history.points(owner, name, sinceMs, CHART_POINTS);
    return tail ? points.slice(-TAIL_POINTS) : points;
  });
}
