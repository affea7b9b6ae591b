import type { Snapshot, Trade } from '../reader/types.js';

/** What the web layer may know of one engine: its current snapshot and its trades. */
export interface EngineView {
  readonly name: string;
  readonly snapshot: Snapshot;
  /** Whether its poller is running (for /readyz). */
  readonly running: boolean;
  tradesSince(sinceMs: number): Trade[];
}

/** The engines being watched, in configuration order. The first is the default. */
export interface EngineDirectory {
  list(): readonly EngineView[];
  get(name: string): EngineView | undefined;
}

/** A readiness check: a name and whether it passes (with a reason when not). */
export interface ReadinessCheck {
  name: string;
  check: () => { ok: boolean; detail?: string };
}

/** What pages may ask of the history store. */
export interface HistoryReader {
  points(
    engine: string,
    series: string,
    sinceMs: number,
    maxPoints?: number,
  ): Array<[number, number]>;
  seriesNames(engine: string, prefix?: string): string[];
  today(engine: string, series: string): { first: number; high: number; low: number } | null;
}

/** Everything a view-model needs besides the snapshot. */
export interface ViewContext {
  nowMs: number;
  timeZone: string;
  /** Every configured engine name, for the switcher. */
  engineNames: readonly string[];
  history: HistoryReader;
}

/** Named engine log files (configured with --log); never a path from a request. */
export interface LogSource {
  names(): string[];
  tail(name: string, lines: number): Promise<import('../monitor/log-tail.js').Tail>;
}
