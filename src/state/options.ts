import type { ErrorReporter } from './errors.js';

export interface StateWriterOptions {
  /**
   * Write-behind: when > 0, `update()` only records the latest value per key in memory and a
   * timer commits all pending keys in one transaction after this many ms. Default 0: every
   * call commits at once.
   */
  flushMs?: number;
  /** Throw `StateWriterError` instead of reporting (for tests). Default false. */
  strict?: boolean;
  /** Where rejected, repaired and failed writes are reported. Default: a rate-limited stderr line. */
  onError?: ErrorReporter;
  /** Largest serialised value accepted, in bytes. Default 1 MiB. */
  maxValueBytes?: number;
  /** How long a write waits for another writer's lock before failing. Default 250 ms. */
  busyTimeoutMs?: number;
  /** Journal rows older than this are pruned. Default 7 days. */
  eventRetentionMs?: number;
  /** At most this many journal rows are kept. Default 100,000. */
  eventMaxRows?: number;
  /** WAL size kept after a checkpoint (SQLite `journal_size_limit`). Default 4 MiB. */
  journalSizeLimitBytes?: number;
  /** In write-behind mode, flush pending writes when the process exits normally. Default true. */
  flushOnExit?: boolean;
}

const DEFAULTS = {
  flushMs: 0,
  strict: false,
  maxValueBytes: 1024 * 1024,
  busyTimeoutMs: 250,
  eventRetentionMs: 7 * 24 * 3600_000,
  eventMaxRows: 100_000,
  journalSizeLimitBytes: 4 * 1024 * 1024,
  flushOnExit: true,
};

export type ResolvedOptions = typeof DEFAULTS;

/** Options with defaults filled in; throws RangeError for a negative or non-finite number (at open, not in the loop). */
export function resolveOptions(options: StateWriterOptions): ResolvedOptions {
  const given = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
  const merged: ResolvedOptions = { ...DEFAULTS, ...given };
  for (const name of [
    'flushMs',
    'maxValueBytes',
    'busyTimeoutMs',
    'eventRetentionMs',
    'eventMaxRows',
  ] as const) {
    if (!Number.isFinite(merged[name]) || merged[name] < 0) {
      throw new RangeError(`StateWriter option ${name} must be a finite number >= 0`);
    }
  }
  return merged;
}

/**
 * `updateMany` takes pairs (an array, a Map, any iterable) or a plain object of key → value.
 * Returns the pairs, and a sentence for each item (or the whole argument) that is not one, so
 * that a bad item is reported and loses only itself.
 */
export function pairsOf(entries: unknown): {
  pairs: Array<readonly [unknown, unknown]>;
  problems: string[];
} {
  if (typeof entries !== 'object' || entries === null) {
    const kind = entries === null ? 'null' : typeof entries;
    return {
      pairs: [],
      problems: [`updateMany takes [key, value] pairs or an object of key → value, got ${kind}`],
    };
  }
  const items =
    typeof (entries as Iterable<unknown>)[Symbol.iterator] === 'function'
      ? Array.from(entries as Iterable<unknown>)
      : Object.entries(entries);
  const pairs: Array<readonly [unknown, unknown]> = [];
  const problems: string[] = [];
  items.forEach((item, i) => {
    if (Array.isArray(item) && item.length === 2) pairs.push(item as [unknown, unknown]);
    else problems.push(`updateMany entry ${i} is not a [key, value] pair`);
  });
  return { pairs, problems };
}
