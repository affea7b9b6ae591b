import type { Request, Response } from 'express';

/** Asset prefixes served by middleware (no route pattern): one label each, whatever the file. */
const ASSET_PREFIXES = ['/static/', '/vendor/'];

/**
 * The `route` label of a request in `/metrics`: the matched route pattern, the asset prefix, or
 * `unmatched`. Never the raw path: a scan of random URLs (answered 401, 404 or 421 before any
 * route matches) must not grow one series per URL.
 *
 * @example routeLabel(req, res) // → '/api/v1/state', '/static/*' or 'unmatched'
 */
export function routeLabel(req: Request, res: Response): string {
  const pattern: unknown = req.route?.path;
  if (typeof pattern === 'string') return pattern;
  if (res.statusCode < 400)
    for (const prefix of ASSET_PREFIXES)
      if (req.originalUrl.startsWith(prefix)) return `${prefix}*`;
  return 'unmatched';
}
