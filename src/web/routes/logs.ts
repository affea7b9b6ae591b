import { Router } from 'express';
import { LogTailError } from '../../monitor/log-tail.js';
import { HttpError } from '../http-error.js';
import { allowQuery } from '../query.js';
import type { LogSource } from '../types.js';

export const MAX_TAIL_LINES = 5000;

/**
 * `GET /api/v1/monitoring/logs/:name?lines=100`: the original ticket's shape (`lines`,
 * `total_lines`) plus `size` and per-line levels. Only names configured with --log exist.
 */
export function logRoutes(logs: LogSource): Router {
  const router = Router();
  router.get('/api/v1/monitoring/logs/:name', async (req, res) => {
    allowQuery(req, ['lines']);
    const name = String(req.params.name);
    if (!logs.names().includes(name)) {
      throw new HttpError(
        404,
        'unknown_log',
        `no log named ${JSON.stringify(name)}; configured: ${logs.names().join(', ') || 'none (use --log NAME=PATH)'}`,
      );
    }
    const text = String(req.query.lines ?? '100');
    const count = Number(text);
    if (!/^\d+$/.test(text) || count < 1 || count > MAX_TAIL_LINES) {
      throw new HttpError(
        400,
        'bad_parameter',
        `lines must be a whole number from 1 to ${MAX_TAIL_LINES}, got ${JSON.stringify(text)}`,
      );
    }
    try {
      const tail = await logs.tail(name, count);
      res.setHeader('Cache-Control', 'no-store');
      res.json({
        name,
        lines: tail.lines.map((l) => l.text),
        entries: tail.lines,
        total_lines: tail.totalLines,
        size: tail.size,
        timestamp: new Date().toISOString(),
      });
    } catch (error) {
      if (!(error instanceof LogTailError)) throw error;
      const status = error.code === 'missing' ? 404 : error.code === 'binary' ? 422 : 503;
      throw new HttpError(status, `log_${error.code}`, error.message);
    }
  });
  return router;
}
