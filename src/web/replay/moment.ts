import type { Request } from 'express';
import { parseTimestamp } from '../../contract/index.js';
import type { ReplayMoment } from '../../monitor/replay/reader.js';
import { HttpError } from '../http-error.js';
import type { EngineView } from '../types.js';
import type { ReplayView } from './types.js';

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * `?at=` as epoch ms: an ISO-8601 time (naive = the engine host's zone) or epoch milliseconds.
 * Undefined without `?at=`; a 400 when it is not a time.
 */
export function atParam(req: Request, timeZone: string): number | undefined {
  const at = req.query.at;
  if (at === undefined) return undefined;
  const text = String(at);
  const ms = /^\d{1,15}$/.test(text) ? Number(text) : parseTimestamp(text, timeZone);
  if (ms === null || !Number.isFinite(ms))
    throw new HttpError(
      400,
      'bad_parameter',
      `at must be an ISO-8601 time (2026-11-30T10:42:00Z) or epoch milliseconds, got ${JSON.stringify(text)}`,
    );
  return ms;
}

/**
 * The engine as it was at `?at=`: null without `?at=`, a 404 naming the recorded window when
 * the moment is outside it.
 */
export function momentFor(
  req: Request,
  engine: EngineView,
  replay: ReplayView | undefined,
  timeZone: string,
): { atMs: number; moment: ReplayMoment } | null {
  const atMs = atParam(req, timeZone);
  if (atMs === undefined) return null;
  const nowMs = Date.now();
  const window = replay?.window(engine.name, nowMs) ?? null;
  if (!replay || !window)
    throw new HttpError(404, 'not_recorded', `nothing of engine ${engine.name} is recorded yet`);
  const moment = atMs >= window.fromMs && atMs <= window.toMs ? replay.at(engine.name, atMs) : null;
  if (!moment)
    throw new HttpError(
      404,
      'outside_window',
      `${iso(atMs)} is outside the recorded window of engine ${engine.name}: ${iso(window.fromMs)} to ${iso(window.toMs)}`,
    );
  return { atMs, moment };
}
