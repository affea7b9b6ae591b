import type { Snapshot } from '../../reader/types.js';
import type { EngineView, ViewContext } from '../types.js';
import { type FleetSort, fleetModel, fleetVersion } from '../view-models/fleet.js';
import {
  accountModel,
  headerModel,
  statsModel,
  tradeRows,
  watchHidden,
  watchRows,
} from '../view-models/live.js';
import {
  activeAlertRows,
  alertsPageModel,
  deliveriesModel,
  systemModel,
} from '../view-models/monitor.js';
import { performanceModel } from '../view-models/performance.js';
import { positionRows } from '../view-models/positions.js';
import { stateModel } from '../view-models/state.js';
import { symbolModel } from '../view-models/symbol.js';
import { CHART_WINDOW_MS, chartSeries } from './chart-series.js';

/** The pages that stream panels. */
export type PageKind = 'live' | 'symbol' | 'state' | 'system' | 'alerts' | 'logs' | 'fleet';

/** One live panel: its SSE event name, its template in views/panels, and its view-model. */
export interface PanelSpec {
  /** SSE event name and the id of the element it swaps (`panel-<name>`). */
  name: string;
  template: string;
  model: (s: Snapshot, ctx: ViewContext, engine: EngineView, symbol: string | null) => object;
  /** Reads alerts or host values: re-rendered when those change, not only per snapshot. */
  monitor?: true;
  /**
   * Reads more than its own engine's snapshot: the render is kept while this string stays the
   * same, instead of once per snapshot (the fleet panel: every engine's version and firing alerts).
   */
  version?: (ctx: ViewContext) => string;
}

const currencyOf = (s: Snapshot) => s.summary?.currency ?? null;
/** How stale the drawdown figures may be when no trade closed (the equity itself is live). */
export const PERFORMANCE_REFRESH_MS = 10_000;

/**
 * Chart data that survives any delivery of panel HTML (SSE, polling, a shared stream): the
 * latest samples of each series, JSON in a data- attribute (htmx drops <script> from swaps).
 */
const chartsPanel = (page: PageKind, monitor?: true): PanelSpec => ({
  name: 'charts',
  template: 'charts',
  ...(monitor ? { monitor } : {}),
  model: (s, ctx, _engine, symbol) => ({
    json: JSON.stringify(chartSeries(ctx.history, page, s.engine, symbol, ctx.nowMs, true)),
  }),
});

const header: PanelSpec = {
  name: 'header',
  template: 'header',
  model: (s, ctx) => headerModel(s, ctx),
};

export const PAGES: Record<PageKind, PanelSpec[]> = {
  live: [
    header,
    { name: 'account', template: 'account', model: (s, ctx) => accountModel(s, ctx) },
    {
      name: 'positions',
      template: 'positions',
      model: (s, ctx) => ({ rows: positionRows(s, ctx) }),
    },
    {
      name: 'alerts',
      template: 'alerts',
      monitor: true,
      model: (s, ctx) => activeAlertRows(s.engine, ctx),
    },
    { name: 'stats', template: 'stats', model: (s) => statsModel(s) },
    {
      name: 'performance',
      template: 'performance',
      // Every trade in the journal and 24 h of equity: recomputed when a trade closes, and
      // otherwise at most every PERFORMANCE_REFRESH_MS, not on each of several snapshots a second.
      model: (s, ctx, engine) =>
        ctx.memo.get(
          `performance:${s.engine}`,
          `${s.recentTrades.at(-1)?.id ?? 0}:${currencyOf(s)}:${s.day}`,
          PERFORMANCE_REFRESH_MS,
          () =>
            performanceModel(
              engine.tradesSince(0),
              ctx.history.points(s.engine, 'equity', ctx.nowMs - CHART_WINDOW_MS),
              currencyOf(s),
              ctx.timeZone,
              ctx.nowMs,
            ),
        ),
    },
    {
      name: 'watch',
      template: 'watch',
      model: (s, ctx) => ({ rows: watchRows(s, ctx), hidden: watchHidden(s), engine: s.engine }),
    },
    {
      name: 'trades',
      template: 'trades',
      model: (s, ctx) => ({
        rows: tradeRows(s.recentTrades, currencyOf(s), s.engine, ctx, s.recentTrades.length),
      }),
    },
    chartsPanel('live'),
  ],
  symbol: [
    header,
    {
      name: 'symbol',
      template: 'symbol',
      model: (s, ctx, engine, symbol) => symbolModel(s, symbol ?? '', engine.tradesSince(0), ctx),
    },
    chartsPanel('symbol'),
  ],
  state: [header, { name: 'keys', template: 'state-keys', model: (s, ctx) => stateModel(s, ctx) }],
  system: [
    header,
    {
      name: 'system',
      template: 'system',
      monitor: true,
      model: (_s, ctx) => systemModel(ctx.monitor.systemStatus(), ctx),
    },
    chartsPanel('system', true),
  ],
  logs: [header],
  // The sort order travels in the `symbol` slot: one cached render per order.
  fleet: [
    {
      name: 'fleet',
      template: 'fleet',
      version: fleetVersion,
      model: (_s, ctx, _engine, sort) => fleetModel(ctx, (sort ?? 'state') as FleetSort),
    },
  ],
  alerts: [
    header,
    {
      name: 'alert-list',
      template: 'alert-list',
      monitor: true,
      model: (_s, ctx) => alertsPageModel(ctx),
    },
    {
      name: 'deliveries',
      template: 'deliveries',
      monitor: true,
      model: (_s, ctx) => deliveriesModel(ctx),
    },
  ],
};

export function panelSpec(page: PageKind, name: string): PanelSpec | undefined {
  return PAGES[page].find((p) => p.name === name);
}
