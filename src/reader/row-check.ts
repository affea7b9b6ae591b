import type { RawRow } from './status-rows.js';

/**
 * The contract's DDL says `key TEXT PRIMARY KEY, value TEXT NOT NULL, updated_at TEXT NOT NULL`,
 * but SQLite stores whatever a foreign writer binds: a key can be NULL (several times over, since
 * a non-integer primary key allows NULLs), an integer or a BLOB; a value or time can be any type.
 * Each row is turned here, before anything else sees it, into text columns — or into a row that
 * carries its own error and a display name that says what it was, so that one bad row shows as
 * an error on /state and every other key still shows (STYLE.md 17).
 */

/** How many bytes of a BLOB key are shown (in hex) in its display name. */
const BLOB_PREVIEW_BYTES = 16;

/** Turns a row as SQLite returned it (any column types) into a RawRow of text columns. */
export function checkRows(rows: readonly (readonly unknown[])[]): RawRow[] {
  const out: RawRow[] = [];
  let names: Set<string> | null = null;
  for (const row of rows) {
    const [key, value, updatedAt, oversize] = row;
    const time = typeof updatedAt === 'string' ? updatedAt : describeTime(updatedAt);
    const bytes = typeof oversize === 'number' ? oversize : undefined;
    if (typeof key === 'string') {
      if (typeof value === 'string' || (value === null && bytes !== undefined)) {
        out.push(bytes === undefined ? [key, value, time] : [key, null, time, bytes]);
      } else {
        out.push([key, null, time, 0, `value is ${describeValue(value)}, not JSON text`]);
      }
      continue;
    }
    // Several bad keys can share a description (two NULL keys): number the repeats.
    names ??= new Set();
    let name = `(${describeValue(key)} key)`;
    for (let n = 2; names.has(name); n++) name = `(${describeValue(key)} key #${n})`;
    names.add(name);
    const error = `key is ${describeValue(key)}, not text: the row cannot be addressed by name`;
    out.push([name, null, time, 0, error]);
  }
  return out;
}

/** `NULL`, `the integer 42`, `a BLOB of 3 bytes (616263)`, `the real 1.5`. */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'number')
    return Number.isInteger(value) ? `the integer ${value}` : `the real ${value}`;
  if (typeof value === 'bigint') return `the integer ${value}`;
  if (Buffer.isBuffer(value)) {
    const hex = value.subarray(0, BLOB_PREVIEW_BYTES).toString('hex');
    const more = value.length > BLOB_PREVIEW_BYTES ? '…' : '';
    return `a BLOB of ${value.length} bytes (${hex}${more})`;
  }
  return typeof value;
}

/** A non-text `updated_at` as text that the timestamp parser will refuse, naming its type. */
function describeTime(value: unknown): string {
  return typeof value === 'number' ? String(value) : `<${describeValue(value)}>`;
}
