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

/** `?since=` as epoch ms: an ISO-8601 time, epoch milliseconds, or a duration back (`1h`, `30m`). */
export function sinceParam(req: Request, fallbackMs: number, timeZone: string): number {
  const since = req.query.since;
  if (since === undefined) return fallbackMs;
  const text = String(since);
  if (/^\d{1,15}$/.test(text)) return Number(text);
  if (/^\d+(\.\d+)?(ms|s|m|h|d)$/.test(text)) return Date.now() - (parseDuration(text) ?? 0);
  const ms = parseTimestamp(text, timeZone);
  if (ms === null)
    throw new HttpError(
      400,
      'bad_parameter',
      `since must be an ISO-8601 time, epoch milliseconds or a duration like 1h, got ${JSON.stringify(text)}`,
    );
  return ms;
}
