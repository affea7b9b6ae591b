import { Router } from 'express';
import { HttpError } from '../http-error.js';
import { fleetMeta } from '../live/fleet-meta.js';
import { PAGES } from '../live/panels.js';
import type { PanelRenderer } from '../live/renderer.js';
import type { Badges } from '../live/sse.js';
import { pageQuery } from '../live/subscriptions.js';
import { allowQuery } from '../query.js';
import type { EngineDirectory, MonitorView } from '../types.js';
import { fleetEntry, fleetJson, fleetSort } from '../view-models/fleet.js';

interface FleetDeps {
  engines: EngineDirectory;
  renderer: PanelRenderer;
  monitor: MonitorView;
  badges: () => Badges;
  banner: string | null;
  /** The poll interval: pages call themselves offline after two of them without the dashboard. */
  pollMs: number;
}

/** `/fleet`, every engine of this dashboard on one page, and `GET /api/v1/fleet`. */
export function fleetRoutes(deps: FleetDeps): Router {
  const router = Router();
  const { engines, renderer } = deps;

  router.get('/fleet', (req, res) => {
    allowQuery(req, ['sort']);
    const sort = fleetSort(req.query.sort);
    const list = engines.list();
    const first = list[0];
    if (!first) throw new HttpError(404, 'no_engine', 'no engine is configured');
    const query = pageQuery(first.name, sort);
    res.setHeader('Cache-Control', 'no-store');
    res.render('pages/fleet', {
      page: 'fleet',
      engine: first.name,
      fleet: list.length > 1,
      meta: fleetMeta(list, deps.badges()),
      panels: Object.fromEntries(
        PAGES.fleet.map((p) => [p.name, renderer.render(first.snapshot, p, first, sort)]),
      ),
      pollMs: deps.pollMs,
      panelUrl: '/live/panel/fleet',
      query,
      banner: deps.banner,
    });
  });

  router.get('/api/v1/fleet', (req, res) => {
    allowQuery(req, []);
    const active = deps.monitor.activeAlerts();
    res.setHeader('Cache-Control', 'no-store');
    res.json(fleetJson(engines.list().map((e) => fleetEntry(e.snapshot, active))));
  });

  return router;
}
