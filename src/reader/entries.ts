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

  constructor(
    private readonly timeZone: string,
    private readonly maxValueBytes: number,
  ) {}

  /** Replaces the whole set with `rows`; returns whether anything differs from before. */
  update(rows: readonly RawRow[]): boolean {
    const next = new Map<string, KeyEntry>();
    let changed = rows.length !== this.entries.size;
    for (const row of rows) {
      const previous = this.entries.get(row.key);
      if (
        previous &&
        previous.raw === row.value &&
        previous.updatedAt === row.updated_at &&
        previous.bytes === row.bytes
      ) {
        next.set(row.key, previous);
      } else {
        next.set(row.key, this.parse(row));
        changed = true;
      }
    }
    this.entries = next;
    return changed;
  }

  clear(): void {
    this.entries.clear();
  }

  get(key: string): KeyEntry | undefined {
    return this.entries.get(key);
  }

  all(): IterableIterator<KeyEntry> {
    return this.entries.values();
  }

  get size(): number {
    return this.entries.size;
  }

  private parse(row: RawRow): KeyEntry {
    const updatedAt =
      typeof row.updated_at === 'string' ? row.updated_at : String(row.updated_at ?? '');
    const updatedAtMs = parseTimestamp(updatedAt, this.timeZone);
    const base = { key: row.key, raw: row.value, bytes: row.bytes, updatedAt, updatedAtMs };
    if (row.value === null) {
      return {
        ...base,
        value: null,
        error: `value is ${formatBytes(row.bytes)}, over the ${formatBytes(this.maxValueBytes)} display limit`,
      };
    }
    const parsed = parseTolerantJson(String(row.value));
    if (!parsed.ok) return { ...base, value: null, error: parsed.error };
    if (!isJsonObject(parsed.value)) {
      const kind =
        parsed.value === null
          ? 'null'
          : Array.isArray(parsed.value)
            ? 'an array'
            : typeof parsed.value;
      return { ...base, value: null, error: `value is ${kind}, not a JSON object` };
    }
    const timeError =
      updatedAtMs === null
        ? `updated_at ${JSON.stringify(updatedAt)} is not an ISO-8601 time`
        : null;
    return { ...base, value: parsed.value, error: timeError };
  }
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
