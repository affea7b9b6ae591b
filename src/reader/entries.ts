import { isJsonObject, parseTimestamp, parseTolerantJson } from '../contract/index.js';
import type { RawRow } from './engine-db.js';
import type { KeyEntry } from './types.js';

/**
 * Turns rows into KeyEntries, parsing only what changed: a row whose text and time are the same
 * as last tick keeps its previous (immutable) entry. With 10,000 keys and a few changing, a tick
 * costs the row scan, not 10,000 JSON parses.
 */
export class EntryCache {
  private entries = new Map<string, KeyEntry>();
  private sortedKeys: string[] | null = null;

  constructor(
    private readonly timeZone: string,
    private readonly maxValueBytes: number,
    /** Hears of each row that cannot be shown, once per change of that row (for the log). */
    private readonly reportRow: (key: string, error: string) => void = () => {},
  ) {}

  /** Replaces the whole set with `rows`; returns whether anything differs from before. */
  update(rows: readonly RawRow[]): boolean {
    const next = new Map<string, KeyEntry>();
    let changed = rows.length !== this.entries.size;
    let keySetChanged = changed;
    for (const row of rows) {
      const key = row[0];
      const previous = this.entries.get(key);
      if (previous && sameRow(previous, row)) {
        next.set(key, previous);
      } else {
        if (!previous) keySetChanged = true;
        next.set(key, this.parse(row));
        changed = true;
      }
    }
    this.entries = next;
    if (keySetChanged) this.sortedKeys = null;
    return changed;
  }

  /** Applies only the rows that changed (an incremental read); returns whether any differ. */
  merge(rows: readonly RawRow[]): boolean {
    let changed = false;
    for (const row of rows) {
      const previous = this.entries.get(row[0]);
      if (previous && sameRow(previous, row)) continue;
      if (!previous) this.sortedKeys = null;
      this.entries.set(row[0], this.parse(row));
      changed = true;
    }
    return changed;
  }

  /** Entries by key name; the order is recomputed only when keys come or go. */
  sorted(): KeyEntry[] {
    if (!this.sortedKeys) this.sortedKeys = [...this.entries.keys()].sort();
    const out: KeyEntry[] = [];
    for (const key of this.sortedKeys) {
      const entry = this.entries.get(key);
      if (entry) out.push(entry);
    }
    return out;
  }

  clear(): void {
    this.entries.clear();
    this.sortedKeys = null;
  }

  get(key: string): KeyEntry | undefined {
    return this.entries.get(key);
  }

  get size(): number {
    return this.entries.size;
  }

  /** Rows written in one transaction share their updated_at: parse each distinct one once. */
  private readonly timeCache = new Map<string, number | null>();

  private parseTime(text: string): number | null {
    let ms = this.timeCache.get(text);
    if (ms === undefined) {
      if (this.timeCache.size > 1000) this.timeCache.clear();
      ms = parseTimestamp(text, this.timeZone);
      this.timeCache.set(text, ms);
    }
    return ms;
  }

  /** The row's entry; whatever goes wrong becomes that entry's error, never the tick's. */
  private parse(row: RawRow): KeyEntry {
    let entry: KeyEntry;
    try {
      entry = this.parseRow(row);
    } catch (error) {
      const message = `cannot be read: ${error instanceof Error ? error.message : String(error)}`;
      entry = {
        key: row[0],
        raw: null,
        bytes: 0,
        updatedAt: row[2],
        updatedAtMs: null,
        value: null,
        error: message,
      };
    }
    if (entry.error !== null && entry.value === null) this.reportOnce(entry.key, entry.error);
    return entry;
  }

  /** The last error reported per key: a bad row rewritten every second is logged once, not each time. */
  private readonly reported = new Map<string, string>();

  private reportOnce(key: string, error: string): void {
    if (this.reported.get(key) === error) return;
    if (this.reported.size >= 10_000) this.reported.clear();
    this.reported.set(key, error);
    this.reportRow(key, error);
  }

  private parseRow(row: RawRow): KeyEntry {
    const [key, value, updatedAt, oversizeBytes, rowError] = row;
    const updatedAtMs = this.parseTime(updatedAt);
    if (rowError !== undefined)
      return { key, raw: null, bytes: 0, updatedAt, updatedAtMs, value: null, error: rowError };
    if (value === null) {
      const bytes = oversizeBytes ?? 0;
      const error = `value is ${formatBytes(bytes)}, over the ${formatBytes(this.maxValueBytes)} display limit`;
      return { key, raw: null, bytes, updatedAt, updatedAtMs, value: null, error };
    }
    const text = String(value);
    const parsed = parseTolerantJson(text);
    let object: Record<string, unknown> | null = null;
    let error: string | null = null;
    if (!parsed.ok) error = parsed.error;
    else if (!isJsonObject(parsed.value))
      error = `value is ${describeJsonKind(parsed.value)}, not a JSON object`;
    else {
      object = parsed.value;
      if (updatedAtMs === null)
        error = `updated_at ${JSON.stringify(updatedAt)} is not an ISO-8601 time`;
    }
    // One object literal of one shape: this runs for every changed key of every tick.
    return {
      key,
      raw: value,
      bytes: Buffer.byteLength(text),
      updatedAt,
      updatedAtMs,
      value: object,
      error,
    };
  }
}

/** Whether a row is the one an entry was made from (so the entry can be kept). */
function sameRow(previous: KeyEntry, row: RawRow): boolean {
  if (previous.raw !== row[1] || previous.updatedAt !== row[2]) return false;
  if (row[1] !== null) return true;
  // No text to compare: an oversized value by its size, a bad row by its error.
  return row[4] === undefined ? previous.bytes === row[3] : previous.error === row[4];
}

function describeJsonKind(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
