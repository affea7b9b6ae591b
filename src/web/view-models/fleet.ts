import { LEVELS, type Level } from '../../contract/index.js';
import type { Alert } from '../../monitor/alerts/types.js';
import type { EngineState, Snapshot } from '../../reader/types.js';
import { HttpError } from '../http-error.js';
import type { ViewContext } from '../types.js';
import { formatMoney, type Signed, signedMoney, type TimeView, timeView } from './format.js';
import { todayPnlOf } from './live.js';

/** How /fleet can be ordered: `state` (the default) puts stale, down and broken engines first. */
export const FLEET_SORTS = ['state', 'name', 'equity', 'pnl', 'alerts'] as const;
export type FleetSort = (typeof FLEET_SORTS)[number];

/** Worst first: an engine that needs a look is at the top of the list. */
const STATE_RANK: Record<EngineState, number> = {
  down: 0,
  error: 1,
  stale: 2,
  waiting: 3,
  live: 4,
};
const STATE_LABEL: Record<EngineState, string> = {
  live: 'Live',
  stale: 'Stale',
  down: 'Down',
  waiting: 'Waiting',
  error: 'Error',
};

/** One engine's fleet figures, before formatting: the page and the JSON are both made from it. */
export interface FleetEntry {
  name: string;
  state: EngineState;
  reason: string;
  lastUpdateMs: number | null;
  /** Heartbeat time, or the newest key's when the engine writes no heartbeat. */
  heartbeatMs: number | null;
  mode: string | null;
  equity: number | null;
  currency: string | null;
  todayPnl: number | null;
  openPositions: number;
  /** Firing alerts about this engine, by level. */
  firing: Record<Level, number>;
}

export interface FleetTotal {
  currency: string | null;
  equity: number;
  todayPnl: number;
  engines: number;
}

export function fleetEntry(s: Snapshot, active: readonly Alert[]): FleetEntry {
  const firing = Object.fromEntries(LEVELS.map((l) => [l, 0])) as Record<Level, number>;
  for (const a of active) if (a.engine === s.engine && a.state === 'firing') firing[a.level]++;
  return {
    name: s.engine,
    state: s.state,
    reason: s.stateReason,
    lastUpdateMs: s.lastUpdateMs,
    heartbeatMs: s.heartbeat?.updatedAtMs ?? s.lastUpdateMs,
    mode: s.heartbeat?.mode ?? null,
    equity: s.summary?.equity ?? null,
    currency: s.summary?.currency ?? null,
    todayPnl: todayPnlOf(s),
    openPositions: s.positions.length,
    firing,
  };
}

const firingCount = (e: FleetEntry) => LEVELS.reduce((n, l) => n + e.firing[l], 0);

/** Orders entries; ties fall back to the name so the order never flickers between pushes. */
export function sortFleet(entries: FleetEntry[], sort: FleetSort): FleetEntry[] {
  const byName = (a: FleetEntry, b: FleetEntry) => a.name.localeCompare(b.name);
  const desc = (f: (e: FleetEntry) => number | null) => (a: FleetEntry, b: FleetEntry) =>
    (f(b) ?? Number.NEGATIVE_INFINITY) - (f(a) ?? Number.NEGATIVE_INFINITY) || byName(a, b);
  const compare = {
    state: (a: FleetEntry, b: FleetEntry) =>
      STATE_RANK[a.state] - STATE_RANK[b.state] || firingCount(b) - firingCount(a) || byName(a, b),
    name: byName,
    equity: desc((e) => e.equity),
    pnl: desc((e) => e.todayPnl),
    alerts: desc(firingCount),
  }[sort];
  return [...entries].sort(compare);
}

/** Sums per currency; an engine without a known currency is totalled apart (currency null). */
export function fleetTotals(entries: readonly FleetEntry[]): FleetTotal[] {
  const totals = new Map<string | null, FleetTotal>();
  for (const e of entries) {
    if (e.equity === null && e.todayPnl === null) continue;
    const total = totals.get(e.currency) ?? {
      currency: e.currency,
      equity: 0,
      todayPnl: 0,
      engines: 0,
    };
    total.equity += e.equity ?? 0;
    total.todayPnl += e.todayPnl ?? 0;
    total.engines++;
    totals.set(e.currency, total);
  }
  // By currency code; the engines without one last.
  return [...totals.values()].sort((a, b) =>
    a.currency === null || b.currency === null
      ? Number(a.currency === null) - Number(b.currency === null)
      : a.currency.localeCompare(b.currency),
  );
}

export interface FleetRow {
  name: string;
  href: string;
  alertsHref: string;
  stateHref: string;
  state: EngineState;
  stateLabel: string;
  reason: string;
  heartbeat: TimeView | null;
  mode: string | null;
  equity: string;
  todayPnl: Signed;
  openPositions: number;
  alerts: Array<{ level: Level; levelClass: string; count: number }>;
}

/** The /fleet panel: one row per engine, totals per currency, and the sort links. */
export function fleetModel(ctx: ViewContext, sort: FleetSort) {
  const active = ctx.monitor.activeAlerts();
  const entries = sortFleet(
    ctx.engines().map((e) => fleetEntry(e.snapshot, active)),
    sort,
  );
  const q = (name: string) => `?engine=${encodeURIComponent(name)}`;
  const rows: FleetRow[] = entries.map((e) => ({
    name: e.name,
    href: `/live${q(e.name)}`,
    alertsHref: `/alerts${q(e.name)}`,
    stateHref: `/state${q(e.name)}`,
    state: e.state,
    stateLabel: STATE_LABEL[e.state],
    reason: e.reason,
    heartbeat: timeView(e.heartbeatMs, ctx.nowMs, ctx.timeZone, ctx.hour12),
    mode: e.mode,
    equity: formatMoney(e.equity, e.currency),
    todayPnl: signedMoney(e.todayPnl, e.currency),
    openPositions: e.openPositions,
    alerts: [...LEVELS]
      .reverse()
      .filter((l) => e.firing[l] > 0)
      .map((l) => ({ level: l, levelClass: l.toLowerCase(), count: e.firing[l] })),
  }));
  const notLive = entries.filter((e) => e.state !== 'live').length;
  return {
    rows,
    notLive,
    totals: fleetTotals(entries).map((t) => ({
      currency: t.currency ?? 'unknown currency',
      engines: t.engines,
      equity: formatMoney(t.equity, t.currency),
      todayPnl: signedMoney(t.todayPnl, t.currency),
    })),
    sorts: FLEET_SORTS.map((s) => ({ name: s, href: `/fleet?sort=${s}`, current: s === sort })),
  };
}

/**
 * Everything the fleet panel depends on: each engine's snapshot version and the firing alerts
 * about engines. Host samples do not change it, so an idle fleet is not re-rendered (and
 * re-sent) every few seconds for its relative ages alone.
 */
export function fleetVersion(ctx: ViewContext): string {
  const engines = ctx.engines().map((e) => `${e.name}:${e.snapshot.version}`);
  const firing = ctx.monitor
    .activeAlerts()
    .filter((a) => a.state === 'firing' && a.engine !== null)
    .map((a) => `${a.id}${a.level}`);
  return `${engines.join(',')}|${firing.join(',')}`;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** `GET /api/v1/fleet`: the same entries as the page, unformatted, in the page's default order. */
export function fleetJson(entries: FleetEntry[]) {
  const sorted = sortFleet(entries, 'state');
  return {
    engines: sorted.map((e) => ({
      name: e.name,
      state: e.state,
      last_update: iso(e.lastUpdateMs),
      mode: e.mode,
      equity: e.equity,
      currency: e.currency,
      today_pnl: e.todayPnl,
      open_positions: e.openPositions,
      alerts_firing: firingCount(e),
    })),
    totals: fleetTotals(sorted).map((t) => ({
      currency: t.currency,
      equity: t.equity,
      today_pnl: t.todayPnl,
    })),
  };
}

/**
 * `?sort=` of /fleet (the `symbol` slot of its stream and polls), checked: an unknown order is a
 * 400 naming the known ones, not a silent default.
 *
 * @example fleetSort(undefined) // 'state'
 */
export function fleetSort(value: unknown): FleetSort {
  if (value === undefined || value === null || value === '') return 'state';
  if (FLEET_SORTS.includes(value as FleetSort)) return value as FleetSort;
  throw new HttpError(
    400,
    'bad_parameter',
    `unknown sort ${JSON.stringify(value)}; use one of ${FLEET_SORTS.join(', ')}`,
  );
}
