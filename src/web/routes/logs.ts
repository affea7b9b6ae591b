import { Router } from 'express';
import { LogTailError } from '../../contract/log-tail-error.js';
import { HttpError } from '../http-error.js';
import { openEventStream } from '../live/frames.js';
import { MAX_BUFFERED_BYTES } from '../live/sse.js';
import { allowQuery } from '../query.js';
import type { LogSource } from '../types.js';

export const MAX_TAIL_LINES = 5000;

function asHttpError(error: unknown): unknown {
  if (!(error instanceof LogTailError)) return error;
  const status = { missing: 404, binary: 422, refused: 403, unreadable: 503 }[error.code];
  return new HttpError(status, `log_${error.code}`, error.message);
}

/**
 * `GET /api/v1/monitoring/logs/:name?lines=100`: the original ticket's shape (`lines`,
 * `total_lines`) plus `size` and per-line levels. Only names configured with --log exist.
 */
export function logRoutes(logs: LogSource): Router {
  const router = Router();
  const known = (name: string) => {
    if (!logs.names().includes(name))
      throw new HttpError(
        404,
        'unknown_log',
        `no log named ${JSON.stringify(name)}; configured: ${logs.names().join(', ') || 'none (use --log NAME=PATH)'}`,
      );
    return name;
  };
  router.get('/api/v1/monitoring/logs/:name', async (req, res) => {
    allowQuery(req, ['lines']);
    const name = known(String(req.params.name));
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
      throw asHttpError(error);
    }
  });
  /** Follow mode: `ready`, then new lines as `lines` events, `reset` after rotation/truncation, `problem`. */
  router.get('/logs/stream/:name', (req, res) => {
    allowQuery(req, []);
    const name = known(String(req.params.name));
    openEventStream(res);
    const stop = logs.follow(name, (event) => {
      // A reader that stopped reading is dropped, like the live pages' streams.
      if (res.writableLength > MAX_BUFFERED_BYTES) {
        stop();
        res.destroy();
        return;
      }
      const data = event.kind === 'problem' ? { message: event.message } : event;
      res.write(`event: ${event.kind}\ndata: ${JSON.stringify(data)}\n\n`);
    });
    const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
    keepAlive.unref();
    req.on('close', () => {
      clearInterval(keepAlive);
      stop();
    });
  });

  router.get('/logs/download/:name', async (req, res) => {
    allowQuery(req, []);
    const name = known(String(req.params.name));
    try {
      const { stream, size } = await logs.open(name);
      res.setHeader('Content-Type', 'text/plain; charset=utf-8');
      res.setHeader('Content-Length', String(size));
      res.setHeader('Content-Disposition', `attachment; filename="${name}.log"`);
      res.setHeader('Cache-Control', 'no-store');
      res.setHeader('X-Content-Type-Options', 'nosniff');
      stream.on('error', () => res.destroy());
      stream.pipe(res);
    } catch (error) {
      throw asHttpError(error);
    }
  });

  return router;
}
