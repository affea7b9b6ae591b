import { Router } from 'express';
import { engineJson } from '../api-json.js';
import { errorBody } from '../http-error.js';
import { allowQuery, engineFor } from '../query.js';
import type { EngineDirectory, ReadinessCheck } from '../types.js';

/**
 * - `/healthz`: the process answers. Checks nothing else (a liveness probe must not restart a
 *   dashboard because the engine is down).
 * - `/readyz`: the dashboard can serve: config loaded, pollers and stores running. It stays ready
 *   while an engine is stale (the dashboard is where people look when it is), and lists the
 *   engines that are not live, with the reason.
 * - `/health`: per-engine detail; 200 for pass/warn, 503 for fail.
 * - `/health/engine`: 503 when that engine is down, stale or unreadable — for an uptime checker.
 */
export function healthRoutes(engines: EngineDirectory, checks: readonly ReadinessCheck[]): Router {
  const router = Router();

  router.get('/healthz', (_req, res) => {
    res.type('text/plain').send('ok\n');
  });

  router.get('/readyz', (_req, res) => {
    const results = checks.map((c) => ({ name: c.name, ...c.check() }));
    const ready = results.every((r) => r.ok);
    // Engine trouble does not make the dashboard unready, but it is said here too.
    const problems = engines
      .list()
      .filter((e) => e.snapshot.state !== 'live')
      .map((e) => ({ engine: e.name, state: e.snapshot.state, reason: e.snapshot.stateReason }));
    // A clock warning does not make the dashboard unready either, but it is said here.
    const clocks = engines
      .list()
      .filter((e) => e.snapshot.clockWarning !== null)
      .map((e) => ({
        engine: e.name,
        clock_skew_ms: e.snapshot.clockSkewMs,
        warning: e.snapshot.clockWarning,
      }));
    res.status(ready ? 200 : 503).json({
      status: ready ? 'ready' : 'not ready',
      checks: results,
      engines: problems,
      ...(clocks.length ? { clock_warnings: clocks } : {}),
    });
  });

  router.get('/health', (req, res) => {
    allowQuery(req, []);
    const now = Date.now();
    const list = engines
      .list()
      .map((e) => ({ ...engineJson(e.snapshot, now), status: engineHealth(e.snapshot.state) }));
    const status = list.some((e) => e.status === 'fail')
      ? 'fail'
      : list.some((e) => e.status === 'warn')
        ? 'warn'
        : 'pass';
    res.status(status === 'fail' ? 503 : 200).json({ status, engines: list });
  });

  router.get('/health/engine', (req, res) => {
    allowQuery(req, ['engine']);
    const { snapshot } = engineFor(req, engines);
    const body = { engine: snapshot.engine, state: snapshot.state, reason: snapshot.stateReason };
    if (snapshot.state === 'live') {
      res.json({ status: 'pass', ...body });
      return;
    }
    const error = errorBody(`engine_${snapshot.state}`, snapshot.stateReason);
    res.status(503).json({ status: 'fail', ...body, ...error });
  });

  return router;
}

/** pass: live; warn: waiting (not started yet) or stale; fail: down or unreadable. */
function engineHealth(state: string): 'pass' | 'warn' | 'fail' {
  if (state === 'live') return 'pass';
  if (state === 'waiting' || state === 'stale') return 'warn';
  return 'fail';
}
