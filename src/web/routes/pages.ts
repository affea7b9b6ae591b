import { createHash } from 'node:crypto';
import { type Request, type Response, Router } from 'express';
import { seriesSymbol, symbolSeries } from '../../contract/series.js';
import { HttpError } from '../http-error.js';
import { CHART_POINTS, CHART_WINDOW_MS, chartSeries, seriesFor } from '../live/chart-series.js';
import { PAGES, type PageKind, panelSpec } from '../live/panels.js';
import type { PanelRenderer } from '../live/renderer.js';
import { type Badges, pageMeta, type SseHub } from '../live/sse.js';
import {
  pageKind,
  pageQuery,
  pageVariant,
  parseSubscriptions,
  subscription,
} from '../live/subscriptions.js';
import { allowQuery, engineFor } from '../query.js';
import { momentFor } from '../replay/moment.js';
import { chartsAround, type ReplayPages } from '../replay/page.js';
import type { ReplayView } from '../replay/types.js';
import type { EngineDirectory, EngineView, HistoryReader, LogSource } from '../types.js';
import { logPageModel } from '../view-models/logs.js';

interface PageDeps {
  engines: EngineDirectory;
  renderer: PanelRenderer;
  hub: SseHub;
  history: HistoryReader;
  badges: () => Badges;
  logs: LogSource;
  /** The monitor generation (alerts, host values): part of monitor panels' ETags. */
  generation: () => number;
  /** The zone times are shown in (pages, logs, charts alike). */
  timeZone: string;
  /** Clock style of chart axes; 24-hour unless configured. */
  clock?: '24h' | '12h';
  /** Shown on every page when the operator turned authentication off on a LAN address. */
  banner?: string | null;
  /** Past moments (`?at=`): without it, `?at=` is a 404. */
  replay?: { view: ReplayView; pages: ReplayPages };
}

/** `/live`, `/live/symbol/:symbol`, `/state`, their SSE streams and their polled fragments. */
export function pageRoutes(deps: PageDeps): Router {
  const router = Router();
  const { engines, renderer, hub, history } = deps;

  /**
   * A symbol the engine has (or had, in history), else a 404: a client-chosen `?symbol=` must
   * not create a cache entry, a frame or a series name per value (memory that never shrinks).
   */
  const hasSeries = (engine: string, name: string) =>
    history.seriesNames(engine, name).includes(name);
  const knownSymbol = (engine: EngineView, symbol: string | null): string | null => {
    if (
      symbol !== null &&
      !engine.snapshot.symbols.some((s) => s.symbol === symbol) &&
      !hasSeries(engine.name, symbolSeries(symbol).price)
    ) {
      throw new HttpError(
        404,
        'unknown_symbol',
        `engine ${engine.name} has no symbol ${JSON.stringify(symbol)}`,
      );
    }
    return symbol;
  };
  const isKnown = (engine: EngineView, symbol: string) => {
    try {
      return knownSymbol(engine, symbol) !== null;
    } catch {
      return false;
    }
  };
  const symbolOf = (req: Request, engine: EngineView): string | null =>
    knownSymbol(engine, typeof req.params.symbol === 'string' ? req.params.symbol : null);
  /** The page's variant (a symbol, the fleet's sort); a symbol must be one the engine has. */
  const querySymbol = (req: Request, page: PageKind, engine: EngineView): string | null => {
    const variant = pageVariant(page, req.query.symbol);
    return page === 'symbol' ? knownSymbol(engine, variant) : variant;
  };

  /**
   * What the charts draw at load, and how they label time (the server's zone, 24-hour). A
   * replayed page gets the span around its moment.
   */
  const charts = (engine: EngineView, page: PageKind, symbol: string | null, atMs?: number) => ({
    zone: deps.timeZone,
    clock: deps.clock ?? '24h',
    // An open page keeps this window as live points arrive, averaged like the load's buckets.
    ...(atMs === undefined
      ? { windowMs: CHART_WINDOW_MS, bucketMs: CHART_WINDOW_MS / CHART_POINTS }
      : {}),
    series:
      atMs === undefined
        ? chartSeries(history, page, engine.name, symbol, Date.now())
        : chartsAround(history, page, engine.name, symbol, atMs),
  });

  const sharedPages = new WeakMap<object, Map<string, Buffer>>();
  const renderPage =
    (
      page: PageKind,
      view: string,
      extra?: { query: string[]; locals: (req: Request) => Promise<object> },
    ) =>
    async (req: Request, res: Response) => {
      allowQuery(req, ['engine', 'at', 'panels', ...(extra?.query ?? [])]);
      const extraLocals = extra ? await extra.locals(req) : {};
      const engine = engineFor(req, engines);
      const symbol = page === 'symbol' ? symbolOf(req, engine) : null;
      const snapshot = engine.snapshot;
      const past = momentFor(req, engine, deps.replay?.view, deps.timeZone);
      const shown = past && deps.replay?.pages.render(page, engine, symbol, past.atMs, past.moment);
      const query = pageQuery(engine.name, symbol);
      res.setHeader('Cache-Control', 'no-store');
      const meta = shown?.meta ?? pageMeta(snapshot, page, symbol, deps.badges());
      // A scrub step of the time bar needs only what changes with the moment: the panels, the
      // title and the badge, not the layout and six hours of chart series (see timebar.js).
      if (req.query.panels !== undefined) {
        if (!shown || req.query.panels !== 'json')
          throw new HttpError(400, 'bad_parameter', 'panels=json needs ?at= (a replayed page)');
        res.json({ title: meta.title, replay: shown.replay, panels: shown.panels });
        return;
      }
      // A page without charts or request-specific parts is the same bytes for every client of
      // one snapshot: rendered once and the same Buffer sent to all (40 concurrent /state reads
      // of a 100k-key engine were 40 renders and 40 copies of a 20 MB page).
      const shareable =
        !past &&
        !extra &&
        seriesFor(page, symbol).length === 0 &&
        !PAGES[page].some((p) => p.monitor);
      const shareKey = `${page}|${engine.name}|${JSON.stringify(meta)}`;
      const shared = shareable ? sharedPages.get(snapshot)?.get(shareKey) : undefined;
      if (shared) {
        res.type('html').send(shared);
        return;
      }
      const locals = {
        page,
        symbol,
        // The symbol as written in its chart series' names (charts.js matches pushes by name).
        seriesSymbol: symbol === null ? null : seriesSymbol(symbol),
        engine: engine.name,
        meta,
        panels:
          shown?.panels ??
          Object.fromEntries(
            PAGES[page].map((p) => [p.name, renderer.render(snapshot, p, engine, symbol)]),
          ),
        replay: shown?.replay ?? null,
        panelNames: PAGES[page].map((p) => p.name),
        pollMs: hub.pollMs,
        panelUrl: `/live/panel/${page}`,
        query,
        chartData: JSON.stringify(charts(engine, page, symbol, past?.atMs)).replace(
          /</g,
          '\\u003c',
        ),
        banner: deps.banner ?? null,
        fleet: engines.list().length > 1,
        ...extraLocals,
      };
      if (!shareable) return res.render(`pages/${view}`, locals);
      const html = await new Promise<string>((resolve, reject) =>
        res.app.render(`pages/${view}`, locals, (error, out) =>
          error ? reject(error) : resolve(out),
        ),
      );
      const body = Buffer.from(html);
      const perSnapshot = sharedPages.get(snapshot) ?? new Map<string, Buffer>();
      sharedPages.set(snapshot, perSnapshot);
      if (perSnapshot.size > 16) perSnapshot.clear(); // badges changed many times: start again
      perSnapshot.set(shareKey, body);
      res.type('html').send(body);
    };

  router.get('/', (_req, res) => res.redirect(302, engines.list().length > 1 ? '/fleet' : '/live'));
  router.get('/live', renderPage('live', 'live'));
  router.get('/live/symbol/:symbol', renderPage('symbol', 'symbol'));
  router.get('/state', renderPage('state', 'state'));
  router.get('/system', renderPage('system', 'system'));
  router.get('/alerts', renderPage('alerts', 'alerts'));
  router.get(
    '/logs',
    renderPage('logs', 'logs', { query: ['name'], locals: (req) => logPageModel(req, deps.logs) }),
  );

  /** One browser's tabs share this stream: `?sub=live?engine=main&sub=symbol?...`, one per tab. */
  router.get('/live/stream', (req, res) => {
    for (const name of Object.keys(req.query))
      if (name !== 'sub')
        throw new HttpError(
          400,
          'unknown_parameter',
          `unknown query parameter "${name}"; this endpoint takes: sub`,
        );
    // A tab of a symbol the engine does not have is left out, like a tab of a removed engine.
    const subs = parseSubscriptions(req.query.sub, engines).filter((sub) => {
      const engine = engines.get(sub.engine);
      if (sub.page !== 'symbol' || sub.symbol === null) return true;
      return engine !== undefined && isKnown(engine, sub.symbol);
    });
    hub.attach(req, res, subs);
  });

  /** One page's stream, its events named after its panels (scripts and older pages use it). */
  router.get('/live/stream/:page', (req, res) => {
    allowQuery(req, ['engine', 'symbol']);
    const page = pageKind(req.params.page);
    const engine = engineFor(req, engines);
    const symbol = querySymbol(req, page, engine);
    hub.attach(req, res, [subscription(null, page, engine, symbol)]);
  });

  /** The polling fallback: an unchanged panel is a 304 without rendering. */
  router.get('/live/panel/:page/:panel', (req, res) => {
    allowQuery(req, ['engine', 'symbol']);
    const page = pageKind(req.params.page);
    const panel = panelSpec(page, String(req.params.panel));
    if (!panel)
      throw new HttpError(
        404,
        'unknown_panel',
        `page ${page} has no panel ${JSON.stringify(req.params.panel)}`,
      );
    const engine = engineFor(req, engines);
    const symbol = querySymbol(req, page, engine);
    const snapshot = engine.snapshot;
    const generation = panel.monitor ? `-g${deps.generation()}` : '';
    const etag = panel.version
      ? `"${panel.name}-${createHash('sha1').update(renderer.versionOf(panel)).digest('hex').slice(0, 16)}-${symbol}"`
      : `"${engine.name}-${snapshot.version}${generation}-${panel.name}"`;
    res.setHeader('ETag', etag);
    res.setHeader('Cache-Control', 'no-cache');
    if (req.get('if-none-match') === etag) {
      res.status(304).end();
      return;
    }
    res.type('html').send(renderer.render(snapshot, panel, engine, symbol));
  });

  return router;
}
