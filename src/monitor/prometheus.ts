import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { Snapshot } from '../reader/types.js';

/**
 * Per-symbol series are capped per engine, so an engine with 10,000 symbols cannot make every
 * scrape huge or blow up Prometheus' cardinality. The first symbols by name are kept; the count
 * left out is `tradewatch_symbol_series_dropped`.
 */
export const MAX_SYMBOL_SERIES = 200;

export type SetGauge = (labels: Record<string, string>, value: number) => void;

/** A gauge whose values are computed at scrape time (reset first, so vanished labels go). */
export function collectedGauge(
  registry: Registry,
  name: string,
  help: string,
  labelNames: string[],
  values: (set: SetGauge) => void,
): Gauge {
  return new Gauge({
    name,
    help,
    labelNames,
    registers: [registry],
    collect() {
      this.reset();
      values((labels, value) => this.set(labels, value));
    },
  });
}

export interface DashboardMetrics {
  registry: Registry;
  observePoll(engine: string, seconds: number): void;
  observeRequest(method: string, route: string, status: number, seconds: number): void;
}

/** prom-client default metrics that fail `promtool check metrics`; see createDashboardMetrics. */
const UNLINTABLE_DEFAULTS = [
  'nodejs_active_handles_total',
  'nodejs_active_requests_total',
  'nodejs_active_resources_total',
];

/**
 * tradewatch's Prometheus metrics, in a registry of their own (not prom-client's global one).
 * Values that come from snapshots are computed at scrape time from the current snapshots, so
 * a scrape always sees one consistent state per engine. Times are exposed as Unix timestamps so
 * that ages are computed in PromQL (`time() - tradewatch_engine_last_update_timestamp_seconds`).
 */
export function createDashboardMetrics(snapshots: () => readonly Snapshot[]): DashboardMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  // prom-client names these three gauges `_total`, which promtool (rightly) rejects for a
  // non-counter; each is only the sum of its by-type sibling (`nodejs_active_handles`...).
  for (const name of UNLINTABLE_DEFAULTS) registry.removeSingleMetric(name);

  const fromSnapshots = (
    name: string,
    help: string,
    labelNames: string[],
    values: (s: Snapshot, set: SetGauge) => void,
  ) =>
    collectedGauge(registry, name, help, labelNames, (set) => {
      for (const snapshot of snapshots()) values(snapshot, set);
    });

  fromSnapshots(
    'tradewatch_engine_up',
    '1 when the engine is live (updated within --stale-after), else 0.',
    ['engine'],
    (s, set) => set({ engine: s.engine }, s.state === 'live' ? 1 : 0),
  );
  fromSnapshots(
    'tradewatch_engine_state',
    'The engine state: 1 for the current one of live, stale, down, waiting, error.',
    ['engine', 'state'],
    (s, set) => {
      for (const state of ['live', 'stale', 'down', 'waiting', 'error'])
        set({ engine: s.engine, state }, s.state === state ? 1 : 0);
    },
  );
  fromSnapshots(
    'tradewatch_engine_last_change_timestamp_seconds',
    "Unix time the dashboard last saw the engine's file change, on the dashboard's clock (what liveness is measured from).",
    ['engine'],
    (s, set) => {
      if (s.lastChangeMs !== null) set({ engine: s.engine }, s.lastChangeMs / 1000);
    },
  );
  fromSnapshots(
    'tradewatch_engine_last_update_timestamp_seconds',
    "Unix time of the newest updated_at of any key: the engine's clock, data rather than proof of life.",
    ['engine'],
    (s, set) => {
      if (s.lastUpdateMs !== null) set({ engine: s.engine }, s.lastUpdateMs / 1000);
    },
  );
  fromSnapshots(
    'tradewatch_engine_heartbeat_timestamp_seconds',
    'Unix time of the engine heartbeat key.',
    ['engine'],
    (s, set) => {
      if (s.heartbeat?.updatedAtMs != null)
        set({ engine: s.engine }, s.heartbeat.updatedAtMs / 1000);
    },
  );
  fromSnapshots(
    'tradewatch_snapshot_version',
    'Version of the current snapshot; it increases on every change.',
    ['engine'],
    (s, set) => set({ engine: s.engine }, s.version),
  );
  fromSnapshots(
    'tradewatch_key_errors',
    'Keys whose value cannot be shown (malformed JSON, not an object, too large).',
    ['engine'],
    (s, set) => set({ engine: s.engine }, s.keys.filter((k) => k.error !== null).length),
  );
  fromSnapshots(
    'tradewatch_account_equity',
    'Account equity in account currency.',
    ['engine'],
    (s, set) => {
      if (s.summary?.equity != null) set({ engine: s.engine }, s.summary.equity);
    },
  );
  fromSnapshots(
    'tradewatch_account_cash',
    'Account cash in account currency.',
    ['engine'],
    (s, set) => {
      if (s.summary?.cash != null) set({ engine: s.engine }, s.summary.cash);
    },
  );
  fromSnapshots(
    'tradewatch_trades_today',
    'Trades closed today (engine time zone).',
    ['engine'],
    (s, set) => set({ engine: s.engine }, s.today.total),
  );
  fromSnapshots(
    'tradewatch_trades_today_pnl',
    'Realised P&L of trades closed today, in account currency.',
    ['engine'],
    (s, set) => set({ engine: s.engine }, s.today.totalPnl),
  );
  fromSnapshots(
    'tradewatch_symbol_price',
    'Last price per symbol (capped, see tradewatch_symbol_series_dropped).',
    ['engine', 'symbol'],
    (s, set) => {
      for (const sym of s.symbols.slice(0, MAX_SYMBOL_SERIES))
        if (sym.price !== null) set({ engine: s.engine, symbol: sym.symbol }, sym.price);
    },
  );
  fromSnapshots(
    'tradewatch_position_size',
    'Signed position size per symbol: > 0 long, < 0 short.',
    ['engine', 'symbol'],
    (s, set) => {
      for (const sym of s.symbols.slice(0, MAX_SYMBOL_SERIES))
        set({ engine: s.engine, symbol: sym.symbol }, sym.positionSize);
    },
  );
  fromSnapshots(
    'tradewatch_position_unrealized_pnl',
    'Unrealised P&L per open position, in account currency.',
    ['engine', 'symbol'],
    (s, set) => {
      for (const sym of s.symbols.slice(0, MAX_SYMBOL_SERIES))
        if (sym.unrealizedPnl !== null)
          set({ engine: s.engine, symbol: sym.symbol }, sym.unrealizedPnl);
    },
  );
  fromSnapshots(
    'tradewatch_symbol_series_dropped',
    `Symbols left out of per-symbol series by the cap of ${MAX_SYMBOL_SERIES}.`,
    ['engine'],
    (s, set) => set({ engine: s.engine }, Math.max(0, s.symbols.length - MAX_SYMBOL_SERIES)),
  );

  const pollDuration = new Histogram({
    name: 'tradewatch_poll_duration_seconds',
    help: 'Time of one poll tick (data_version check, and the read and snapshot build when something changed).',
    labelNames: ['engine'],
    buckets: [0.00005, 0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5],
    registers: [registry],
  });
  const polls = new Counter({
    name: 'tradewatch_polls_total',
    help: 'Poll ticks.',
    labelNames: ['engine'],
    registers: [registry],
  });
  const requestDuration = new Histogram({
    name: 'tradewatch_http_request_duration_seconds',
    help: 'HTTP request durations by route pattern.',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1],
    registers: [registry],
  });

  return {
    registry,
    observePoll(engine, seconds) {
      pollDuration.observe({ engine }, seconds);
      polls.inc({ engine });
    },
    observeRequest(method, route, status, seconds) {
      requestDuration.observe({ method, route, status: String(status) }, seconds);
    },
  };
}
