import express, { Router } from 'express';
import type { PageAssets } from '../page-assets.js';

/** A year: bundle URLs change with their content, so a cached copy is never out of date. */
const BUNDLE_CACHE = 'public, max-age=31536000, immutable';

/**
 * `/bundle/*` (what pages load: one CSS and one or two scripts, named by content hash),
 * `/vendor/*` (each browser library on its own) and `/static/*` (public/), with cache headers.
 */
export function assetRoutes(publicDir: string, assets: PageAssets): Router {
  const router = Router();
  router.get('/bundle/:file', (req, res, next) => {
    const bundle = assets.bundles.get(String(req.params.file));
    if (!bundle) return next();
    res.setHeader('Cache-Control', BUNDLE_CACHE);
    res.setHeader('Vary', 'Accept-Encoding');
    res.type(bundle.type);
    // 320 KB of charts is 110 KB gzipped: it matters to a phone on the LAN's Wi-Fi.
    if (req.acceptsEncodings('gzip', 'identity') === 'gzip') {
      res.setHeader('Content-Encoding', 'gzip');
      res.send(bundle.gzip);
    } else res.send(bundle.body);
  });
  router.get('/vendor/:file', (req, res, next) => {
    // Own names only: `__proto__` or `constructor` must be a 404, not a prototype's member.
    const name = String(req.params.file);
    const file = Object.hasOwn(assets.vendorFiles, name) ? assets.vendorFiles[name] : undefined;
    if (!file) return next();
    res.setHeader('Cache-Control', 'public, max-age=86400');
    res.sendFile(file);
  });
  router.use('/static', express.static(publicDir, { maxAge: '1h', fallthrough: true }));
  return router;
}
