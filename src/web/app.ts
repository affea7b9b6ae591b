import { join } from 'node:path';
import express, { type Express } from 'express';
import helmet from 'helmet';
import type { DashboardMetrics } from '../monitor/prometheus.js';
import { apiNumbers } from './api-json.js';
import { type AccessOptions, accessControl } from './auth/access.js';
import { hostCheck } from './auth/host-check.js';
import { errorHandler, notFound } from './http-error.js';
import type { Live } from './live/index.js';
import { panelHashes } from './live/panel-hash.js';
import { loadPageAssets } from './page-assets.js';
import { ReplayPages } from './replay/page.js';
import type { ReplayView } from './replay/types.js';
import { routeLabel } from './route-label.js';
import { apiRoutes } from './routes/api.js';
import { assetRoutes } from './routes/assets.js';
import { faviconRoutes } from './routes/favicon.js';
import { fleetRoutes } from './routes/fleet.js';
import { healthRoutes } from './routes/health.js';
import { logRoutes } from './routes/logs.js';
import { metricsRoutes } from './routes/metrics.js';
import { monitoringRoutes } from './routes/monitoring.js';
import { pageRoutes } from './routes/pages.js';
import { replayRoutes } from './routes/replay.js';
import type {
  EngineDirectory,
  HistoryReader,
  LogSource,
  MonitorView,
  ReadinessCheck,
} from './types.js';

export interface AppOptions {
  engines: EngineDirectory;
  checks: readonly ReadinessCheck[];
  metrics: DashboardMetrics;
  /** IANA zone of the engine host, for "today" and naive `since` times. */
  timeZone: string;
  /** `--clock`: how times of day read on pages and charts. */
  clock?: '24h' | '12h';
  logError: (error: unknown) => void;
  history: HistoryReader;
  live: Live;
  logs: LogSource;
  monitor: MonitorView;
  /** Authentication; null when serving loopback only (or with --insecure-no-auth). */
  access?: AccessOptions | null;
  /** `Host` names served (DNS rebinding guard on loopback without auth); null: any. */
  allowedHosts?: readonly string[] | null;
  /** A warning shown on every page (authentication turned off on a network address). */
  banner?: string | null;
  /** Recorded past states (`?at=`); without it every `?at=` is a 404. */
  replay?: ReplayView;
  /** The package root: views/ and public/ live there. */
  root: string;
}

/**
 * The dashboard's HTTP surface. It is given snapshots and stores through narrow interfaces and
 * never opens a database, so it can be tested with plain objects.
 */
export function createApp(options: AppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false); // snapshot bodies carry their own version ETags
  app.set('query parser', 'simple');
  app.set('json replacer', apiNumbers); // every res.json: no float noise

  app.set('view engine', 'ejs');
  // Compile each page template once, whatever NODE_ENV says (Express caches only in production).
  app.set('view cache', true);
  app.set('views', join(options.root, 'views'));
  const publicDir = join(options.root, 'public');
  const assets = loadPageAssets(publicDir);
  app.locals.assets = assets;
  app.locals.panelHashes = panelHashes;
  app.use(
    helmet({
      // Scripts and styles come only from this server; no eval, and no inline script but the
      // theme's, allowed by its hash.
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'", assets.themeScriptHash],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", 'data:'],
          connectSrc: ["'self'"],
          fontSrc: ["'self'"],
          objectSrc: ["'none'"],
          baseUri: ["'self'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
        },
      },
      // Plain HTTP on a LAN is the common case: no HSTS, no upgrade of requests.
      strictTransportSecurity: false,
      referrerPolicy: { policy: 'no-referrer' },
    }),
  );

  app.use((req, res, next) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      // The route pattern, not the URL: one series per endpoint, whatever the parameters.
      options.metrics.observeRequest(
        req.method,
        routeLabel(req, res),
        res.statusCode,
        Number(process.hrtime.bigint() - started) / 1e9,
      );
    });
    next();
  });

  if (options.allowedHosts) app.use(hostCheck(options.allowedHosts));
  if (options.access) app.use(accessControl(options.access));
  app.use(healthRoutes(options.engines, options.checks));
  app.use(metricsRoutes(options.metrics.registry));
  app.use(apiRoutes(options.engines, options.timeZone, options.history, options.replay));
  app.use(replayRoutes(options.engines, options.replay, options.timeZone));
  app.use(logRoutes(options.logs));
  app.use(monitoringRoutes(options.monitor, options.history, options.timeZone));
  app.use(assetRoutes(publicDir, assets));
  app.use(faviconRoutes());
  app.use(
    fleetRoutes({
      engines: options.engines,
      renderer: options.live.renderer,
      monitor: options.monitor,
      badges: options.live.badges,
      banner: options.banner ?? null,
      pollMs: options.live.hub.pollMs,
    }),
  );
  app.use(
    pageRoutes({
      engines: options.engines,
      renderer: options.live.renderer,
      hub: options.live.hub,
      history: options.history,
      generation: () => options.monitor.generation(),
      badges: options.live.badges,
      banner: options.banner ?? null,
      logs: options.logs,
      timeZone: options.timeZone,
      replay: options.replay && {
        view: options.replay,
        pages: new ReplayPages(join(options.root, 'views'), options.replay, {
          timeZone: options.timeZone,
          hour12: options.clock === '12h',
          engineNames: () => options.engines.list().map((e) => e.name),
          engines: () => options.engines.list(),
          history: options.history,
          monitor: options.monitor,
        }),
      },
      clock: options.clock,
    }),
  );
  app.use(notFound);
  app.use(errorHandler(options.logError));
  return app;
}
