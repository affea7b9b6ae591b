import { inflateSync } from 'node:zlib';
import type { RawEvent } from '../../reader/engine-db.js';
import type { RawRow } from '../../reader/status-rows.js';

/**
 * One replay record's content: the rows that changed (or, in a keyframe, every row) exactly as
 * read from the engine, and the keys that went away.
 */
export interface RecordBody {
  rows: RawRow[];
  deleted: string[];
}

/** A journal row as stored: `[id, ts, type, level, symbol, data]`. */
type EventTuple = [number, string, string, string | null, string | null, string];

/**
 * Records are deflated with the previous record's text as the dictionary: a delta then costs
 * little more than the digits that changed, since every key name, field name and unchanged
 * number is a back-reference into what the key held a second before. Decoding therefore walks
 * forward from a keyframe (which has no dictionary); the zlib header carries the dictionary's
 * checksum, so a record decoded against the wrong predecessor fails instead of lying.
 *
 * The text is length-prefixed, not JSON: JSON.stringify would escape every quote of every
 * stored value, and that alone cost 2 ms a tick for 1,000 symbols.
 *
 * @example
 * const text = recordText({ rows: [['k', '{"x":1}', 't']], deleted: [] });
 * parseRecordText(text).rows; // [['k', '{"x":1}', 't']]
 */
export function recordText(body: RecordBody): string {
  let text = `${body.rows.length} ${body.deleted.length}\n`;
  for (const [key, raw, updatedAt, bytes] of body.rows)
    text += `${key.length} ${raw === null ? -1 : raw.length} ${updatedAt.length} ${bytes ?? 0}\n${key}${raw ?? ''}${updatedAt}`;
  for (const key of body.deleted) text += `${key.length}\n${key}`;
  return text;
}

export function parseRecordText(text: string): RecordBody {
  let at = 0;
  const header = (): number[] => {
    const end = text.indexOf('\n', at);
    if (end < 0) throw new Error('replay record is truncated');
    const numbers = text.slice(at, end).split(' ').map(Number);
    at = end + 1;
    return numbers;
  };
  const take = (length: number): string => {
    const part = text.slice(at, at + length);
    at += length;
    return part;
  };
  const [rowCount = 0, deletedCount = 0] = header();
  const rows: RawRow[] = [];
  for (let i = 0; i < rowCount; i++) {
    const [keyLength = 0, rawLength = 0, timeLength = 0, bytes = 0] = header();
    const key = take(keyLength);
    const raw = rawLength < 0 ? null : take(rawLength);
    const updatedAt = take(timeLength);
    rows.push(raw === null ? [key, null, updatedAt, bytes] : [key, raw, updatedAt]);
  }
  const deleted: string[] = [];
  for (let i = 0; i < deletedCount; i++) deleted.push(take(header()[0] ?? 0));
  return { rows, deleted };
}

export function decodeRecord(
  bytes: Buffer,
  dictionary: string | null,
): { body: RecordBody; text: string } {
  const text = inflateSync(bytes, dictionary ? { dictionary: dict(dictionary) } : {}).toString();
  return { body: parseRecordText(text), text };
}

/** Deflate looks back 32 KiB at most: only the dictionary's tail can be referenced. */
function dict(text: string): Buffer {
  const buffer = Buffer.from(text);
  return buffer.length > 32_768 ? buffer.subarray(buffer.length - 32_768) : buffer;
}

export function encodeEvents(events: readonly RawEvent[]): string {
  return JSON.stringify(
    events.map((e): EventTuple => [e.id, e.ts, e.type, e.level, e.symbol, e.data]),
  );
}

export function decodeEvents(text: string): RawEvent[] {
  return (JSON.parse(text) as EventTuple[]).map(([id, ts, type, level, symbol, data]) => ({
    id,
    ts,
    type,
    level,
    symbol,
    data,
  }));
}
