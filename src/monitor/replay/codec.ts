import { constants, deflateRawSync, inflateRawSync } from 'node:zlib';
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
 * forward from a keyframe (which has no dictionary). Level 1: recording runs on the poll tick.
 *
 * @example
 * const a = encodeRecord({ rows: [['k', '{"x":1}', 't']], deleted: [] }, null);
 * const b = encodeRecord({ rows: [['k', '{"x":2}', 't']], deleted: [] }, a.text);
 * decodeRecord(b.bytes, a.text).body.rows; // [['k', '{"x":2}', 't']]
 */
export function encodeRecord(
  body: RecordBody,
  dictionary: string | null,
): { bytes: Buffer; text: string } {
  const text = JSON.stringify([body.rows, body.deleted]);
  const options = {
    level: constants.Z_BEST_SPEED,
    ...(dictionary ? { dictionary: dict(dictionary) } : {}),
  };
  return { bytes: deflateRawSync(text, options), text };
}

export function decodeRecord(
  bytes: Buffer,
  dictionary: string | null,
): { body: RecordBody; text: string } {
  const text = inflateRawSync(bytes, dictionary ? { dictionary: dict(dictionary) } : {}).toString();
  const [rows, deleted] = JSON.parse(text) as [RawRow[], string[]];
  return { body: { rows, deleted }, text };
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
