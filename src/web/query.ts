import type { Request } from 'express';
import { parseDuration } from '../contract/duration.js';
import { parseTimestamp } from '../contract/index.js';
import { HttpError } from './http-error.js';
import type { EngineDirectory, EngineView } from './types.js';

/** Rejects query parameters an endpoint does not know, so typos do not pass silently. */
export function allowQuery(req: Request, allowed: readonly string[]): void {
  for (const [name, value] of Object.entries(req.query)) {
    if (!allowed.includes(name)) {
      const known = allowed.length
        ? `; this endpoint takes: ${allowed.join(', ')}`
        : '; this endpoint takes none';
      throw new HttpError(400, 'unknown_parameter', `unknown query parameter "${name}"${known}`);
    }
    if (typeof value !== 'string')
      throw new HttpError(400, 'bad_parameter', `query parameter "${name}" must be given once`);
  }
}

/** The engine named by `?engine=`, or the first configured one. */
export function engineFor(req: Request, engines: EngineDirectory): EngineView {
  const name = req.query.engine;
  if (name === undefined) {
    const first = engines.list()[0];
    if (!first) throw new HttpError(404, 'no_engine', 'no engine is configured');
    return first;
  }
  const engine = typeof name === 'string' ? engines.get(name) : undefined;
  if (!engine) {
    const known = engines
      .list()
      .map((e) => e.name)
      .join(', ');
    throw new HttpError(
      404,
      'unknown_engine',
      `no engine named ${JSON.stringify(name)}; configured: ${known}`,
    );
  }
  return engine;
}

/** The earliest `since` accepted: the Unix epoch (older times are typos, and `Date` cannot hold 200,000,000 days back). */
const EARLIEST_MS = 0;

/** `?since=` as epoch ms: an ISO-8601 time, epoch milliseconds, or a duration back (`1h`, `30m`). */
export function sinceParam(req: Request, fallbackMs: number, timeZone: string): number {
  const since = req.query.since;
  if (since === undefined) return fallbackMs;
  const text = String(since);
  const ms = /^\d{1,15}$/.test(text)
    ? Number(text)
    : /^\d+(\.\d+)?(ms|s|m|h|d)$/.test(text)
      ? Date.now() - (parseDuration(text) ?? Number.POSITIVE_INFINITY)
      : parseTimestamp(text, timeZone);
  if (ms !== null && (!(ms >= EARLIEST_MS) || !Number.isFinite(new Date(ms).getTime())))
    throw new HttpError(
      400,
      'bad_parameter',
      `since must be a time after 1970-01-01, got ${JSON.stringify(text)}`,
    );
  if (ms === null)
    throw new HttpError(
      400,
      'bad_parameter',
      `since must be an ISO-8601 time, epoch milliseconds or a duration like 1h, got ${JSON.stringify(text)}`,
    );
  return ms;
}
