import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import express, { Router } from 'express';

const require = createRequire(import.meta.url);

/** Browser libraries, served by the dashboard itself from node_modules: no CDN, works offline. */
const VENDOR: Record<string, string> = {
  'htmx.min.js': 'htmx.org/dist/htmx.min.js',
  'chart.umd.min.js': 'chart.js/dist/chart.umd.min.js',
  'chartjs-plugin-annotation.min.js':
    'chartjs-plugin-annotation/dist/chartjs-plugin-annotation.min.js',
};

/** Browser libraries kept in public/vendor/ (see its README: the npm package would bring 28 MB). */
const VENDORED = ['chartjs-adapter-date-fns.bundle.min.js'];

/** A file inside an installed package, wherever npm put it (packages need not export package.json). */
function resolvePackageFile(spec: string): string {
  const [scopeOrName = '', ...rest] = spec.split('/');
  const pkg = scopeOrName.startsWith('@') ? `${scopeOrName}/${rest.shift()}` : scopeOrName;
  for (const dir of require.resolve.paths(pkg) ?? []) {
    const candidate = join(dir, pkg);
    if (existsSync(join(candidate, 'package.json'))) return join(candidate, ...rest);
  }
  throw new Error(`package ${pkg} is not installed (needed for /vendor)`);
}

/** `/vendor/*` (from node_modules) and `/static/*` (public/), with cache headers. */
export function assetRoutes(publicDir: string): Router {
  const router = Router();
  const files = Object.fromEntries([
    ...Object.entries(VENDOR).map(([name, spec]) => [name, resolvePackageFile(spec)]),
    ...VENDORED.map((name) => [name, join(publicDir, 'vendor', name)]),
  ]);
  router.get('/vendor/:file', (req, res, next) => {
    // Own names only: `__proto__` or `constructor` must be a 404, not a prototype's member.
    const name = String(req.params.file);
    const file = Object.hasOwn(files, name) ? files[name] : undefined;
    if (!file) return next();
    res.setHeader('Cache-Control', 'public, max-age=86400');
    res.sendFile(file);
  });
  router.use('/static', express.static(publicDir, { maxAge: '1h', fallthrough: true }));
  return router;
}
