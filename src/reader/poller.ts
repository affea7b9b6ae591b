import { EventEmitter } from 'node:events';
import { localDay } from '../contract/index.js';
import { buildSnapshot } from './build-snapshot.js';
import { EngineDatabase, type RawEvent, type ReadProblem } from './engine-db.js';
import { engineState } from './engine-state.js';
import { EntryCache } from './entries.js';
import { Ledger } from './ledger.js';
import type { EngineEvent, KeyEntry, Snapshot, SymbolState, Trade } from './types.js';

export interface PollerOptions {
  name: string;
  path: string;
  pollMs: number;
  staleAfterMs: number;
  /** IANA zone of the engine host: naive timestamps and "today". */
  timeZone: string;
  /** Values larger than this are not loaded, only reported. Default 1 MiB. */
  maxValueBytes?: number;
  now?: () => number;
}

export interface PollerEvents {
  snapshot: [snapshot: Snapshot, previous: Snapshot];
  /** Journal rows as read (replay records them raw); `reset`: earlier rows are void. */
  journal: [events: readonly RawEvent[], reset: boolean];
  /** After every tick, with its duration in seconds. */
  tick: [seconds: number];
}

/**
 * Watches one engine database: one read per tick (skipped when nothing was committed), and a
 * new immutable Snapshot whenever the data, the engine's state or the day changes. Every
 * consumer — pages, API, metrics, alerts — shares that one Snapshot.
 */
export class EnginePoller extends EventEmitter<PollerEvents> {
  private readonly db: EngineDatabase;
  private readonly entries: EntryCache;
  private readonly ledger: Ledger;
  private readonly now: () => number;
  private timer: NodeJS.Timeout | null = null;
  private current: Snapshot;
  /** Symbol states, derived once per changed entry. */
  private symbolCache = new Map<KeyEntry, SymbolState>();
  ticks = 0;

  constructor(readonly options: PollerOptions) {
    super();
    const maxValueBytes = options.maxValueBytes ?? 1024 * 1024;
    this.now = options.now ?? Date.now;
    this.db = new EngineDatabase(options.path, maxValueBytes, this.now);
    this.entries = new EntryCache(options.timeZone, maxValueBytes);
    this.ledger = new Ledger(options.timeZone);
    this.current = this.build(0, null, [], this.now());
  }

  get snapshot(): Snapshot {
    return this.current;
  }

  /** SQLite reads made so far (not ticks: unchanged ticks read nothing). */
  get reads(): number {
    return this.db.reads;
  }

  get running(): boolean {
    return this.timer !== null;
  }

  tradesSince(sinceMs: number): Trade[] {
    return this.ledger.tradesSince(sinceMs);
  }

  start(): void {
    if (this.timer) return;
    this.tick();
    this.timer = setInterval(() => this.tick(), this.options.pollMs);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.db.close();
  }

  /** One poll. Public so tests and benchmarks can drive it without timers. */
  tick(): Snapshot {
    const started = performance.now();
    this.ticks++;
    const nowMs = this.now();
    const outcome = this.db.read();
    let dataChanged = false;
    let newEvents: EngineEvent[] = [];
    const reset = outcome.reset || outcome.problem?.kind === 'waiting';
    if (reset) {
      dataChanged = this.entries.size > 0 || this.ledger.trades.length > 0;
      this.entries.clear();
      this.ledger.reset();
    }
    if (outcome.events.length > 0 || reset) this.emit('journal', outcome.events, reset);
    if (outcome.changed) {
      dataChanged =
        (outcome.partial ? this.entries.merge(outcome.rows) : this.entries.update(outcome.rows)) ||
        dataChanged;
      newEvents = this.ledger.append(outcome.events);
      if (newEvents.length > 0) dataChanged = true;
    }
    if (dataChanged || this.stateChanged(outcome.problem, nowMs, outcome.schemaVersion)) {
      const previous = this.current;
      this.current = this.build(
        previous.version + 1,
        outcome.problem,
        newEvents,
        nowMs,
        outcome.schemaVersion,
      );
      this.emit('snapshot', this.current, previous);
    }
    this.emit('tick', (performance.now() - started) / 1000);
    return this.current;
  }

  /**
   * Whether time alone changed what the snapshot says: the engine went stale, the read problem
   * changed, the day rolled over. Cheap: it reuses the current snapshot's heartbeat and times.
   */
  private stateChanged(
    problem: ReadProblem | null,
    nowMs: number,
    schemaVersion: number | null,
  ): boolean {
    const c = this.current;
    const { state } = engineState({
      problem,
      hasData: c.keys.length > 0,
      heartbeat: c.heartbeat,
      lastUpdateMs: c.heartbeat?.updatedAtMs ?? c.lastUpdateMs,
      nowMs,
      staleAfterMs: this.options.staleAfterMs,
    });
    return (
      state !== c.state ||
      problemText(problem) !== problemText(c.problem) ||
      localDay(nowMs, this.options.timeZone) !== c.day ||
      schemaVersion !== c.schemaVersion
    );
  }

  private build(
    version: number,
    problem: ReadProblem | null,
    newEvents: EngineEvent[],
    nowMs: number,
    schemaVersion: number | null = null,
  ): Snapshot {
    const { snapshot, symbolCache } = buildSnapshot({
      ...this.options,
      version,
      problem,
      newEvents,
      nowMs,
      schemaVersion,
      entries: this.entries,
      ledger: this.ledger,
      symbolCache: this.symbolCache,
    });
    this.symbolCache = symbolCache;
    return snapshot;
  }
}

function problemText(problem: ReadProblem | null): string {
  return problem ? `${problem.kind}:${'code' in problem ? problem.code : ''}` : '';
}
