import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Express } from 'express';
import { onTestFinished } from 'vitest';
import { HistoryStore } from '../../src/monitor/history.js';
import { LogErrorCounter } from '../../src/monitor/log-errors.js';
import { createDashboardMetrics } from '../../src/monitor/prometheus.js';
import { EnginePoller, type PollerOptions } from '../../src/reader/poller.js';
import { accessOptions, allowedHosts, insecureBanner } from '../../src/service/access-config.js';
import { createLogSource } from '../../src/service/log-source.js';
import type { Monitoring } from '../../src/service/monitoring.js';
import { createReplay, type Replay } from '../../src/service/replay.js';
import { createApp } from '../../src/web/app.js';
import { createLive, type Live } from '../../src/web/live/index.js';
import type { EngineDirectory, EngineView } from '../../src/web/types.js';
import { monitorOver } from './monitor.js';
import { ROOT } from './spawn.js';

/** An app over real pollers on real files. Pollers are not started: tests tick them. */
export function appOver(
  engines: Array<Partial<PollerOptions> & { name: string; path: string }>,
  logs: Record<string, string> = {},
  /** Extra command-line flags: alert rules, channels, authentication. */
  flags: string[] = [],
  /** TRADEWATCH_* variables (the password comes only from there). */
  env: NodeJS.ProcessEnv = {},
): {
  app: Express;
  pollers: EnginePoller[];
  live: Live;
  history: HistoryStore;
  monitoring: Monitoring;
  replay: Replay;
} {
  const pollers = engines.map(
    (e) => new EnginePoller({ pollMs: 1000, staleAfterMs: 30_000, timeZone: 'UTC', ...e }),
  );
  onTestFinished(() => {
    for (const p of pollers) p.stop();
  });
  const view = (p: EnginePoller): EngineView => ({
    name: p.options.name,
    get snapshot() {
      return p.snapshot;
    },
    running: true,
    tradesSince: (ms) => p.tradesSince(ms),
  });
  const directory: EngineDirectory = {
    list: () => pollers.map(view),
    get: (name) => {
      const p = pollers.find((x) => x.options.name === name);
      return p && view(p);
    },
  };
  const metrics = createDashboardMetrics(() => pollers.map((p) => p.snapshot));
  for (const p of pollers) p.on('tick', (s) => metrics.observePoll(p.options.name, s));
  const sidecar = new Database(':memory:');
  const history = new HistoryStore(sidecar, 'UTC', 86_400_000);
  const { monitoring, monitor, config } = monitorOver(sidecar, pollers, flags, history, env);
  monitoring.registerMetrics(metrics.registry);
  const replay = createReplay(sidecar, pollers, 86_400_000);
  const logErrors = new LogErrorCounter(() => Object.values(logs));
  const live = createLive(
    directory,
    history,
    monitor,
    () => logErrors.count(),
    'UTC',
    join(ROOT, 'views'),
    1000,
    config.clock === '12h',
  );
  for (const p of pollers) p.on('snapshot', (s) => live.hub.publish(s, history.record(s)));
  onTestFinished(() => {
    live.hub.close();
    sidecar.close();
  });
  const app = createApp({
    engines: directory,
    checks: [{ name: 'config', check: () => ({ ok: true }) }],
    metrics,
    timeZone: 'UTC',
    clock: config.clock,
    logError: (error) => {
      throw error;
    },
    history,
    live,
    logs: createLogSource(
      Object.entries(logs).map(([name, path]) => ({ name, path })),
      100,
    ),
    monitor,
    access: accessOptions(config),
    allowedHosts: allowedHosts(config),
    banner: insecureBanner(config),
    root: ROOT,
    replay: replay.view,
  });
  return { app, pollers, live, history, monitoring, replay };
}
