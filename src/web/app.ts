import express, { type Express } from 'express';
import type { DashboardMetrics } from '../monitor/prometheus.js';
import { errorHandler, notFound } from './http-error.js';
import { apiRoutes } from './routes/api.js';
import { healthRoutes } from './routes/health.js';
import { metricsRoutes } from './routes/metrics.js';
import type { EngineDirectory, ReadinessCheck } from './types.js';

export interface AppOptions {
  engines: EngineDirectory;
  checks: readonly ReadinessCheck[];
  metrics: DashboardMetrics;
  /** IANA zone of the engine host, for "today" and naive `since` times. */
  timeZone: string;
  logError: (error: unknown) => void;
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

  app.use((req, res, next) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      // The route pattern, not the URL: one series per endpoint, whatever the parameters.
      const route = req.route?.path ?? (res.statusCode === 404 ? 'unmatched' : req.path);
      options.metrics.observeRequest(
        req.method,
        String(route),
        res.statusCode,
        Number(process.hrtime.bigint() - started) / 1e9,
      );
    });
    next();
  });

  app.use(healthRoutes(options.engines, options.checks));
  app.use(metricsRoutes(options.metrics.registry));
  app.use(apiRoutes(options.engines, options.timeZone));
  app.use(notFound);
  app.use(errorHandler(options.logError));
  return app;
}
