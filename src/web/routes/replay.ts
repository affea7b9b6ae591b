import { Router } from 'express';
import { HttpError } from '../http-error.js';
import { allowQuery, engineFor } from '../query.js';
import { atParam } from '../replay/moment.js';
import type { ReplayView } from '../replay/types.js';
import type { EngineDirectory } from '../types.js';

/** The time bar's data: the recorded window and its marks, and stepping between changes. */
export function replayRoutes(
  engines: EngineDirectory,
  replay: ReplayView | undefined,
  timeZone: string,
): Router {
  const router = Router();

  router.get('/api/v1/replay', (req, res) => {
    allowQuery(req, ['engine']);
    const engine = engineFor(req, engines);
    const nowMs = Date.now();
    const window = replay?.window(engine.name, nowMs) ?? null;
    res.setHeader('Cache-Control', 'no-store');
    res.json({
      engine: engine.name,
      now: nowMs,
      window: window && { from: window.fromMs, to: window.toMs },
      marks: replay?.marks(engine.name) ?? { trades: [], alerts: [], states: [] },
    });
  });

  router.get('/api/v1/replay/step', (req, res) => {
    allowQuery(req, ['engine', 'at', 'dir']);
    const engine = engineFor(req, engines);
    const atMs = atParam(req, timeZone);
    const dir = req.query.dir;
    if (atMs === undefined || (dir !== 'next' && dir !== 'prev'))
      throw new HttpError(400, 'bad_parameter', 'step takes at=<time> and dir=next or dir=prev');
    res.setHeader('Cache-Control', 'no-store');
    res.json({ engine: engine.name, at: replay?.step(engine.name, atMs, dir) ?? null });
  });

  return router;
}
