import { Router } from 'express';

const COLOURS: Record<string, string> = {
  live: '#2fbf71',
  stale: '#f0a202',
  down: '#e5484d',
  waiting: '#8b8d98',
  error: '#e5484d',
  /** The page lost the dashboard (set by the page itself, not by an engine state). */
  offline: '#5b5e6b',
};

/**
 * `/favicon.svg?state=live&n=3`: a dot in the engine state's colour with the open-position
 * count, or `!` when the engine is not live, or a grey `×` when the page lost the dashboard
 * (`state=offline`) — readable in a crowded tab bar.
 */
export function faviconRoutes(): Router {
  const router = Router();
  router.get('/favicon.svg', (req, res) => {
    const state =
      typeof req.query.state === 'string' && req.query.state in COLOURS
        ? req.query.state
        : 'waiting';
    const count = Math.min(99, Math.max(0, Number.parseInt(String(req.query.n ?? '0'), 10) || 0));
    const label =
      state === 'live' ? (count > 0 ? String(count) : '') : state === 'offline' ? '×' : '!';
    res.type('image/svg+xml').setHeader('Cache-Control', 'public, max-age=86400');
    res.send(
      `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><circle cx="16" cy="16" r="15" fill="${COLOURS[state]}"/>` +
        (label
          ? `<text x="16" y="22" font-size="${label.length > 1 ? 15 : 18}" font-family="sans-serif" font-weight="bold" text-anchor="middle" fill="#fff">${label}</text>`
          : '') +
        '</svg>',
    );
  });
  router.get('/favicon.ico', (_req, res) => res.redirect(301, '/favicon.svg'));
  return router;
}
