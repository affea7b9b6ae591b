import type { Request } from 'express';
import { LogTailError } from '../../contract/log-tail-error.js';
import { HttpError } from '../http-error.js';
import type { LogSource } from '../types.js';

/** Lines the /logs page shows at first; the API serves up to 5,000. */
export const PAGE_LINES = 500;

/** The /logs page: the file selector, the chosen file's tail, or why it cannot be shown. */
export async function logPageModel(req: Request, logs: LogSource) {
  const names = logs.names();
  const asked = req.query.name;
  if (asked !== undefined && !names.includes(String(asked)))
    throw new HttpError(
      404,
      'unknown_log',
      `no log named ${JSON.stringify(asked)}; configured: ${names.join(', ') || 'none'}`,
    );
  const name = asked === undefined ? (names[0] ?? null) : String(asked);
  const base = { logNames: names, logName: name, logLines: [], logProblem: null, logSize: null };
  if (name === null) return base;
  try {
    const tail = await logs.tail(name, PAGE_LINES);
    return {
      ...base,
      logLines: tail.lines.map((l) => ({ ...l, levelClass: (l.level ?? 'none').toLowerCase() })),
      logSize: tail.size,
      logErrors: tail.lines.filter((l) => l.level === 'ERROR' || l.level === 'CRITICAL').length,
    };
  } catch (error) {
    if (!(error instanceof LogTailError)) throw error;
    return { ...base, logProblem: error.message };
  }
}
