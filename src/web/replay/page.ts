import { clockTime, localDay, startOfLocalDay } from '../../contract/index.js';
import type { ReplayMoment } from '../../monitor/replay/reader.js';
import { chartSeries } from '../live/chart-series.js';
import { createMemo } from '../live/memo.js';
import { PAGES, type PageKind } from '../live/panels.js';
import { PanelRenderer } from '../live/renderer.js';
import { pageMeta } from '../live/sse.js';
import type { EngineView, HistoryReader, MonitorView, ViewContext } from '../types.js';
import type { ReplayView } from './types.js';

/** Charts on a replayed page span this long, centred on the moment (timebar.js knows it too). */
export const REPLAY_CHART_SPAN_MS = 6 * 3600_000;

/** The chart series of a page over REPLAY_CHART_SPAN_MS centred on `atMs`. */
export function chartsAround(
  history: HistoryReader,
  page: PageKind,
  engine: string,
  symbol: string | null,
  atMs: number,
) {
  const from = atMs - REPLAY_CHART_SPAN_MS / 2;
  const to = atMs + REPLAY_CHART_SPAN_MS / 2;
  const series = chartSeries(history, page, engine, symbol, to);
  for (const [name, points] of Object.entries(series))
    series[name] = points.filter(([t]) => t >= from && t <= to);
  return series;
}

/** What a page template needs to show a past moment instead of now. */
export interface ReplayLocals {
  atMs: number;
  atIso: string;
  /** `2026-11-30 10:42:05` in the engine host's zone. */
  label: string;
  chartFromMs: number;
  chartToMs: number;
}

/**
 * Pages as of a past moment: the same panel templates and view-models as live, given the
 * rebuilt snapshot, the alerts active then, history up to then, and "now" = the moment. Its
 * own renderer and memo, so nothing of a replay leaks into the live caches.
 */
export class ReplayPages {
  private context: ViewContext | null = null;
  private readonly renderer: PanelRenderer;

  constructor(
    viewsDir: string,
    private readonly replay: ReplayView,
    private readonly live: {
      timeZone: string;
      /** `--clock 12h`: the REPLAY label and every time on the page read 12-hour, as live. */
      hour12?: boolean;
      engineNames: () => readonly string[];
      /** Other engines as they are now (the fleet switcher); this one is replaced by its past. */
      engines: () => readonly EngineView[];
      history: HistoryReader;
      monitor: MonitorView;
    },
  ) {
    this.renderer = new PanelRenderer(viewsDir, () => {
      if (!this.context) throw new Error('replay context missing');
      return this.context;
    });
  }

  /** Every panel of `page` as it was at `atMs`, the page's meta (REPLAY in the title) and locals. */
  render(
    page: PageKind,
    engine: EngineView,
    symbol: string | null,
    atMs: number,
    moment: ReplayMoment,
  ) {
    const { timeZone, hour12 = false } = this.live;
    const alerts = this.replay.alertsAt(engine.name, atMs);
    this.context = {
      nowMs: atMs,
      timeZone,
      hour12,
      engineNames: this.live.engineNames(),
      engines: () => this.live.engines().map((e) => (e.name === engine.name ? past : e)),
      history: historyUntil(this.live.history, atMs, timeZone),
      monitor: monitorAt(this.live.monitor, alerts, atMs),
      memo: createMemo(),
    };
    const past: EngineView = {
      name: engine.name,
      snapshot: moment.snapshot,
      running: engine.running,
      tradesSince: (ms) => moment.tradesSince(ms),
    };
    try {
      const panels = Object.fromEntries(
        PAGES[page].map((p) => [p.name, this.renderer.render(moment.snapshot, p, past, symbol)]),
      );
      const label = `${localDay(atMs, timeZone)} ${clockTime(atMs, timeZone, hour12)}`;
      const meta = pageMeta(moment.snapshot, page, symbol, {
        alerts: alerts.filter((a) => a.state === 'firing').length,
        logErrors: 0,
      });
      const replay: ReplayLocals = {
        atMs,
        atIso: new Date(atMs).toISOString(),
        label,
        chartFromMs: atMs - REPLAY_CHART_SPAN_MS / 2,
        chartToMs: atMs + REPLAY_CHART_SPAN_MS / 2,
      };
      return { panels, meta: { ...meta, title: `REPLAY ${label} · ${meta.title}` }, replay };
    } finally {
      this.context = null;
    }
  }
}

/** History as it stood at `atMs`: no point after it, and "today" is that moment's day. */
function historyUntil(history: HistoryReader, atMs: number, timeZone: string): HistoryReader {
  const until = <T extends [number, ...number[]]>(points: T[]) =>
    points.filter((p) => p[0] <= atMs);
  return {
    points: (engine, series, sinceMs, maxPoints) =>
      until(history.points(engine, series, sinceMs, maxPoints)),
    rollup: (engine, series, sinceMs, maxPoints) =>
      until(history.rollup(engine, series, sinceMs, maxPoints)),
    seriesNames: (engine, prefix) => history.seriesNames(engine, prefix),
    today(engine, series) {
      const values = until(
        history.points(engine, series, startOfLocalDay(atMs, timeZone), 10_000),
      ).map(([, v]) => v);
      const first = values[0];
      if (first === undefined) return null;
      return {
        first,
        high: values.reduce((a, b) => Math.max(a, b), first),
        low: values.reduce((a, b) => Math.min(a, b), first),
      };
    },
  };
}

/** Alerts as they were at `atMs`; nothing can be acknowledged from the past. */
function monitorAt(
  monitor: MonitorView,
  active: ReturnType<ReplayView['alertsAt']>,
  atMs: number,
): MonitorView {
  return {
    ...monitor,
    activeAlerts: () => active,
    alerts: (limit, state) =>
      state === 'active'
        ? active.slice(0, limit)
        : monitor.alerts(limit, state).filter((a) => a.startedAtMs <= atMs),
    ack: () => null,
  };
}
