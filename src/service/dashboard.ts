import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { schedule } from 'node-cron';
import type { Logger } from 'pino';
import type { Config } from '../config/load.js';
import { HOST_OWNER } from '../contract/series.js';
import { HistoryStore } from '../monitor/history.js';
import { LogErrorCounter } from '../monitor/log-errors.js';
import { collectedGauge, createDashboardMetrics } from '../monitor/prometheus.js';
import { SidecarFile } from '../monitor/sidecar.js';
import { EnginePoller } from '../reader/poller.js';
import { createApp } from '../web/app.js';
import { createLive } from '../web/live/index.js';
import type { EngineDirectory, ReadinessCheck } from '../web/types.js';
import {
  accessOptions,
  allowedHosts,
  exposedWithoutAuth,
  insecureBanner,
} from './access-config.js';
import { enginesInDataDir } from './data-dir-check.js';
import { createLogSource } from './log-source.js';
import { createMonitoring } from './monitoring.js';
import { monitorView } from './monitoring-view.js';
import { packageRoot } from './package-info.js';
import { createReplay } from './replay.js';

const SIDECAR_CHECK_MS = 5000;

export interface Dashboard {
  url: string;
  server: Server;
  pollers: readonly EnginePoller[];
  /** Open live streams: one per browser, however many of its tabs show pages. */
  streams(): number;
  /** Stops polling and closes the server: in-flight requests finish, idle ones are cut, nothing waits over `graceMs`. */
  close(graceMs?: number): Promise<void>;
}

/** Wires pollers, metrics and the web app, and listens. `onListening` runs before the first poll. */
export async function startDashboard(
  config: Config,
  logger: Logger,
  onListening?: (url: string) => void,
): Promise<Dashboard> {
  const pollers = config.db.map(
    ({ name, path }) =>
      new EnginePoller({
        name,
        path,
        pollMs: config['poll-ms'],
        watch: !config['no-watch'],
        staleAfterMs: config['stale-after'],
        timeZone: config.tz,
        hour12: config.clock === '12h',
        report: (message, { key, error }) =>
          logger.error({ engine: name, key, err: error }, `engine ${name}: ${message}`),
      }),
  );
  const metrics = createDashboardMetrics(() => pollers.map((p) => p.snapshot));
  const sidecarFile = new SidecarFile(config['data-dir'], 'tradewatch-history.db', (message) =>
    logger.warn(message),
  );
  const sidecar = sidecarFile.db;
  const history = new HistoryStore(sidecar, config.tz, config.retention);
  // A sidecar deleted or replaced while running is recreated within this long.
  const sidecarCheck = setInterval(() => sidecarFile.check(), SIDECAR_CHECK_MS);
  sidecarCheck.unref();
  const pruneTask = schedule('*/5 * * * *', () => {
    try {
      const removed = history.prune();
      if (removed > 0) logger.debug({ removed }, 'history pruned');
      monitoring.prune();
      replay.prune();
    } catch (error) {
      logger.error({ err: error }, 'history prune failed');
    }
  });
  const engines: EngineDirectory = {
    list: () => pollers.map(view),
    get: (name) => {
      const poller = pollers.find((p) => p.options.name === name);
      return poller ? view(poller) : undefined;
    },
  };
  const monitoring = createMonitoring(config, sidecar, history, pollers, logger);
  const replay = createReplay(sidecar, pollers, config.retention, {
    onError: (error, engine) => logger.error({ err: error, engine }, 'replay record failed'),
  });
  sidecarFile.onReattach((db) => {
    history.attach(db);
    monitoring.attach(db);
    replay.attach(db);
  });
  const monitor = monitorView(monitoring);
  monitoring.registerMetrics(metrics.registry);
  const logErrors = new LogErrorCounter(() => config.log.map((l) => l.path));
  const live = createLive(
    engines,
    history,
    monitor,
    () => logErrors.count(),
    config.tz,
    join(packageRoot(), 'views'),
    config['poll-ms'],
    config.clock === '12h',
  );
  collectedGauge(
    metrics.registry,
    'tradewatch_live_streams',
    'open live-page streams (one per browser: its tabs share one)',
    [],
    (set) => set({}, live.hub.size),
  );
  collectedGauge(
    metrics.registry,
    'tradewatch_engine_database_reads',
    'reads of the engine database so far (a poll or change notification that finds nothing committed reads nothing)',
    ['engine'],
    (set) => {
      for (const poller of pollers) set({ engine: poller.options.name }, poller.reads);
    },
  );
  // One refresh per burst: evaluating 100 position alerts at once re-renders pages once.
  let refreshQueued = false;
  const refreshPages = () => {
    if (refreshQueued) return;
    refreshQueued = true;
    setImmediate(() => {
      refreshQueued = false;
      live.hub.refresh();
    });
  };
  monitoring.alerts.on('change', refreshPages);
  monitoring.host.on('sample', refreshPages);
  monitoring.onHostPoints((atMs, points) => live.hub.publishPoints(HOST_OWNER, atMs, points));
  for (const poller of pollers) {
    const engine = poller.options.name;
    poller.on('tick', (seconds) => metrics.observePoll(engine, seconds));
    poller.on('snapshot', (snapshot) => {
      let points: Array<[string, number]> = [];
      try {
        points = history.record(snapshot);
      } catch (error) {
        logger.error({ err: error, engine }, 'history sample failed');
      }
      live.hub.publish(snapshot, points);
    });
    poller.on('snapshot', (snapshot, previous) => {
      if (
        snapshot.state === previous.state &&
        snapshot.problem?.message === previous.problem?.message
      )
        return;
      const level =
        snapshot.state === 'live' ? 'info' : snapshot.state === 'waiting' ? 'warn' : 'error';
      logger[level](
        { engine, state: snapshot.state, previous: previous.state, reason: snapshot.stateReason },
        `engine ${engine} is ${snapshot.state}: ${snapshot.stateReason}`,
      );
    });
  }
  const checks: ReadinessCheck[] = [
    { name: 'config', check: () => ({ ok: true }) },
    {
      name: 'pollers',
      check: () => {
        const stopped = pollers.filter((p) => !p.running).map((p) => p.options.name);
        return stopped.length
          ? { ok: false, detail: `not polling: ${stopped.join(', ')}` }
          : { ok: true };
      },
    },
  ];
  const app = createApp({
    engines,
    checks,
    metrics,
    timeZone: config.tz,
    clock: config.clock,
    logError: (error) => logger.error({ err: error }, 'request failed'),
    history,
    live,
    logs: createLogSource(config.log),
    monitor,
    access: accessOptions(config),
    allowedHosts: allowedHosts(config),
    banner: insecureBanner(config),
    root: packageRoot(),
    replay: replay.view,
  });
  if (exposedWithoutAuth(config))
    logger.warn(
      { host: config.host },
      'serving a network address without authentication (--insecure-no-auth): anyone who can reach it sees the account',
    );
  const tls = config['tls-cert'] && config['tls-key'];
  const server = tls
    ? createHttpsServer(
        {
          cert: readFileSync(config['tls-cert'] ?? ''),
          key: readFileSync(config['tls-key'] ?? ''),
        },
        app,
      )
    : createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  const url = `${tls ? 'https' : 'http'}://${host}:${port}`;
  onListening?.(url);
  // After the listening line, which scripts read first.
  const sharing = enginesInDataDir(config);
  if (sharing.length)
    logger.warn(
      { dataDir: config['data-dir'], engines: sharing },
      `the dashboard keeps its files (tradewatch-history.db) in the directory of engine ${sharing.join(', ')}: give it a directory of its own with --data-dir (a service: /var/lib/tradewatch)`,
    );
  for (const poller of pollers) poller.start();
  monitoring.start();
  return {
    url,
    server,
    pollers,
    streams: () => live.hub.size,
    async close(graceMs = 1500) {
      for (const poller of pollers) poller.stop();
      pruneTask.stop();
      await replay.stop();
      await monitoring.stop();
      live.hub.close();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const timer = setTimeout(() => server.closeAllConnections(), graceMs);
      await closed;
      clearTimeout(timer);
      clearInterval(sidecarCheck);
      sidecarFile.close();
    },
  };
}

function view(poller: EnginePoller) {
  return {
    name: poller.options.name,
    get snapshot() {
      return poller.snapshot;
    },
    get running() {
      return poller.running;
    },
    tradesSince: (ms: number) => poller.tradesSince(ms),
  };
}
