import { Router } from 'express';
import { startOfLocalDay } from '../../contract/index.js';
import { tradeStats } from '../../reader/ledger.js';
import { engineJson, liveStatusJson, stateJson, statsJson, tradeJson } from '../api-json.js';
import { sendSnapshotJson } from '../json-cache.js';
import { allowQuery, engineFor, sinceParam } from '../query.js';
import type { EngineDirectory } from '../types.js';

/** The JSON API. Every body comes from the shared snapshot; nothing here touches a database. */
export function apiRoutes(engines: EngineDirectory, timeZone: string): Router {
  const router = Router();

  router.get('/api/live/status', (req, res) => {
    allowQuery(req, ['engine']);
    const { snapshot } = engineFor(req, engines);
    sendSnapshotJson(res, snapshot, 'live-status', req.get('if-none-match'), (now) =>
      liveStatusJson(snapshot, now),
    );
  });

  router.get('/api/v1/engines', (req, res) => {
    allowQuery(req, []);
    const now = Date.now();
    res.json({ engines: engines.list().map((e) => engineJson(e.snapshot, now)) });
  });

  router.get('/api/v1/state', (req, res) => {
    allowQuery(req, ['engine']);
    const { snapshot } = engineFor(req, engines);
    sendSnapshotJson(res, snapshot, 'state', req.get('if-none-match'), (now) =>
      stateJson(snapshot, now),
    );
  });

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

  return router;
}
