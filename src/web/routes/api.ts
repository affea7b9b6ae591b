import { type Request, type Response, Router } from 'express';
import { startOfLocalDay } from '../../contract/index.js';
import { tradeStats } from '../../contract/trade-stats.js';
import type { Snapshot } from '../../reader/types.js';
import { engineJson, liveStatusJson, stateJson, statsJson, tradeJson } from '../api-json.js';
import { HttpError } from '../http-error.js';
import { sendSnapshotJson } from '../json-cache.js';
import { allowQuery, engineFor, sinceParam } from '../query.js';
import { momentFor } from '../replay/moment.js';
import type { ReplayView } from '../replay/types.js';
import type { EngineDirectory, HistoryReader } from '../types.js';

const iso = (ms: number) => new Date(ms).toISOString();

/** The JSON API. Every body comes from the shared snapshot; nothing here touches a database. */
export function apiRoutes(
  engines: EngineDirectory,
  timeZone: string,
  history: HistoryReader,
  replay?: ReplayView,
): Router {
  const router = Router();

  /** A snapshot body: now (shared, cached per version), or as of `?at=` (rebuilt from replay). */
  const snapshotRoute =
    (kind: string, shape: (s: Snapshot, nowMs: number) => object) =>
    (req: Request, res: Response) => {
      allowQuery(req, ['engine', 'at']);
      const engine = engineFor(req, engines);
      const past = momentFor(req, engine, replay, timeZone);
      if (past) {
        res.json({ at: iso(past.atMs), ...shape(past.moment.snapshot, past.atMs) });
        return;
      }
      const { snapshot } = engine;
      sendSnapshotJson(res, snapshot, kind, req.get('if-none-match'), (now) =>
        shape(snapshot, now),
      );
    };

  router.get('/api/live/status', snapshotRoute('live-status', liveStatusJson));

  router.get('/api/v1/engines', (req, res) => {
    allowQuery(req, []);
    const now = Date.now();
    res.json({ engines: engines.list().map((e) => engineJson(e.snapshot, now)) });
  });

  router.get('/api/v1/state', snapshotRoute('state', stateJson));

  router.get('/api/v1/trades', (req, res) => {
    allowQuery(req, ['engine', 'since']);
    const engine = engineFor(req, engines);
    const since = sinceParam(req, startOfLocalDay(Date.now(), timeZone), timeZone);
    const trades = engine.tradesSince(since);
    res.json({
      engine: engine.name,
      since: new Date(since).toISOString(),
      count: trades.length,
      stats: statsJson(tradeStats(trades)),
      trades: trades.map(tradeJson),
    });
  });

  router.get('/api/v1/stats/today', (req, res) => {
    allowQuery(req, ['engine']);
    const { snapshot } = engineFor(req, engines);
    res.json({
      engine: snapshot.engine,
      day: snapshot.day,
      time_zone: timeZone,
      ...statsJson(snapshot.today),
    });
  });

  /** Chart-ready points of one series (`equity`, `price:EURUSD`, `ind:EURUSD:rsi14`...), at most ~1,000. */
  router.get('/api/v1/history', (req, res) => {
    allowQuery(req, ['engine', 'series', 'since']);
    const engine = engineFor(req, engines);
    const series = req.query.series;
    if (typeof series !== 'string' || series === '') {
      const known = history.seriesNames(engine.name);
      throw new HttpError(
        400,
        'missing_parameter',
        `series is required; recorded: ${known.slice(0, 20).join(', ') || 'none yet'}${known.length > 20 ? ', ...' : ''}`,
      );
    }
    const since = sinceParam(req, Date.now() - 86_400_000, timeZone);
    const points = history.points(engine.name, series, since);
    res.json({
      engine: engine.name,
      series,
      since: new Date(since).toISOString(),
      count: points.length,
      points,
    });
  });

  return router;
}
