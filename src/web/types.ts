import type { Readable } from 'node:stream';
import type { RuleSet } from '../contract/alert-rules.js';
import type { Alert, AlertState } from '../monitor/alerts/types.js';
import type { SystemStatus } from '../monitor/host/series.js';
import type { FollowEvent } from '../monitor/log-follow.js';
import type { Tail } from '../monitor/log-tail.js';
import type { Snapshot, Trade } from '../reader/types.js';
import type { Memo } from './live/memo.js';

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
  /** [t, min, avg, max] buckets, for windows too long to chart every sample. */
  rollup(
    engine: string,
    series: string,
    sinceMs: number,
    maxPoints?: number,
  ): Array<[number, number, number, number]>;
  seriesNames(engine: string, prefix?: string): string[];
  today(engine: string, series: string): { first: number; high: number; low: number } | null;
}

/** Everything a view-model needs besides the snapshot. */
export interface ViewContext {
  nowMs: number;
  timeZone: string;
  /** `--clock 12h`: times of day read 12-hour (24-hour when absent). */
  hour12?: boolean;
  /** Every configured engine name, for the switcher. */
  engineNames: readonly string[];
  /** Every engine, for /fleet. */
  engines: () => readonly EngineView[];
  history: HistoryReader;
  monitor: MonitorView;
  /** Shared by every render of this dashboard: see PERFORMANCE_REFRESH_MS. */
  memo: Memo;
}

/** Named engine log files (configured with --log); never a path from a request. */
export interface LogSource {
  names(): string[];
  tail(name: string, lines: number): Promise<Tail>;
  /** Pushes new lines (and rotation, truncation, problems) until the returned function is called. */
  follow(name: string, listener: (event: FollowEvent) => void): () => void;
  /** The whole file for download; throws LogTailError when it cannot be opened. */
  open(name: string): Promise<{ stream: Readable; size: number }>;
}

/** A notification attempt as /alerts shows it. */
export interface DeliveryView {
  id: number;
  channel: string;
  event: string;
  alertId: number;
  level: string;
  message: string;
  status: 'pending' | 'sent' | 'failed';
  attempts: number;
  lastError: string | null;
  createdAtMs: number;
  doneAtMs: number | null;
}

/** What pages may ask of host monitoring, alerts and notifications. */
export interface MonitorView {
  rules: RuleSet;
  systemStatus(): SystemStatus;
  /** Alerts, newest first; `active` = pending or firing. */
  alerts(limit: number, state?: AlertState | 'active'): Alert[];
  /** Pending and firing, most severe first. */
  activeAlerts(): Alert[];
  isMuted(alert: Alert): boolean;
  /** A rule's description for people (`CPU usage`), or its id when unknown. */
  describeRule(rule: string): string;
  ack(id: number): Alert | null;
  deliveries(limit: number): DeliveryView[];
  channels(): Array<{ kind: string; label: string; minLevel: string }>;
  /** Changes whenever alerts or host values change: monitor panels re-render on it. */
  generation(): number;
}
