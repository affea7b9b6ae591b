import { EventEmitter } from 'node:events';
import { statSync } from 'node:fs';
import { localDay } from '../contract/index.js';
import { buildSnapshot } from './build-snapshot.js';
import { symbolState } from './derive.js';
import { EngineDatabase, type RawEvent, type ReadProblem } from './engine-db.js';
import { engineState } from './engine-state.js';
import { EntryCache } from './entries.js';
import { type FileWatch, watchDatabaseFile } from './file-watch.js';
import { Ledger } from './ledger.js';
import type { EngineEvent, KeyEntry, Snapshot, SymbolState, Trade } from './types.js';

export interface PollerOptions {
  name: string;
  path: string;
  pollMs: number;
  staleAfterMs: number;
  /** IANA zone of the engine host: naive timestamps and "today". */
  timeZone: string;
  /** Times of day in state reasons read 12-hour (`--clock 12h`). */
  hour12?: boolean;
  /** Values larger than this are not loaded, only reported. Default 1 MiB. */
  maxValueBytes?: number;
  /** A cleanly stopped engine's file over this is not read (no in-memory copy). Default 256 MiB. */
  maxCopyBytes?: number;
  /** Also poll as soon as the file or its WAL changes (the timed poll stays as the safety net). */
  watch?: boolean;
  now?: () => number;
  /**
   * Hears of what could not be shown or done, one item at a time: a row that cannot be read
   * (`key` set), a snapshot consumer or a tick that threw. Default: stderr.
   */
  report?: (message: string, detail: { key?: string; error?: unknown }) => void;
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
  private readonly report: NonNullable<PollerOptions['report']>;
  private timer: NodeJS.Timeout | null = null;
  private watcher: FileWatch | null = null;
  private current: Snapshot;
  /** Symbol states, derived once per changed entry. */
  private symbolCache = new Map<KeyEntry, SymbolState>();
  private cachedCurrency: string | null = null;
  /** When this dashboard last saw the file change, on its own clock (invariant 7). */
  private lastChangeMs: number | null = null;
  ticks = 0;

  constructor(readonly options: PollerOptions) {
    super();
    const maxValueBytes = options.maxValueBytes ?? 1024 * 1024;
    this.now = options.now ?? Date.now;
    this.report =
      options.report ?? ((message) => process.stderr.write(`${options.name}: ${message}\n`));
    this.db = new EngineDatabase(options.path, maxValueBytes, this.now, options.maxCopyBytes);
    this.entries = new EntryCache(options.timeZone, maxValueBytes, (key, error) =>
      this.report(`key ${JSON.stringify(key)} cannot be shown: ${error}`, { key }),
    );
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
    this.guardedTick();
    if (this.options.watch)
      this.watcher = watchDatabaseFile(this.options.path, () => this.guardedTick());
    this.timer = setInterval(() => {
      this.watcher?.rearm();
      this.guardedTick();
    }, this.options.pollMs);
  }

  /** A tick from a timer or a file change: whatever it throws is reported and the next runs as usual. */
  private guardedTick(): void {
    try {
      this.tick();
    } catch (error) {
      this.report(`poll failed: ${describe(error)}`, { error });
    }
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.watcher?.close();
    this.watcher = null;
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
      // Rows the writer pruned go here too, or a running dashboard would differ from a fresh one.
      if (outcome.minEventId !== null && this.ledger.dropBefore(outcome.minEventId))
        dataChanged = true;
    }
    if (dataChanged) this.lastChangeMs = this.changeSeenAt(nowMs);
    if (this.entries.size === 0) this.lastChangeMs = null;
    if (dataChanged || this.stateChanged(outcome.problem, nowMs, outcome.schemaVersion)) {
      const previous = this.current;
      this.current = this.build(
        previous.version + 1,
        outcome.problem,
        newEvents,
        nowMs,
        outcome.schemaVersion,
      );
      this.publish(this.current, previous);
    }
    this.emit('tick', (performance.now() - started) / 1000);
    return this.current;
  }

  /** Hands the snapshot to every consumer in turn: one that throws is reported, not fatal to the rest. */
  private publish(snapshot: Snapshot, previous: Snapshot): void {
    for (const listener of this.rawListeners('snapshot')) {
      try {
        listener(snapshot, previous);
      } catch (error) {
        this.report(`a snapshot consumer failed: ${describe(error)}`, { error });
      }
    }
  }

  /**
   * Now, for a change seen between two reads. The first read of a file cannot know when it last
   * changed: the newest modification time of the database and its WAL (same host, same clock)
   * stands in, so a dashboard started beside a long-dead engine does not call it live.
   */
  private changeSeenAt(nowMs: number): number {
    if (this.lastChangeMs !== null) return nowMs;
    let newest = Number.NEGATIVE_INFINITY;
    for (const file of [this.options.path, `${this.options.path}-wal`]) {
      try {
        newest = Math.max(newest, statSync(file).mtimeMs);
      } catch {
        // No WAL (or the file just went): the other one answers.
      }
    }
    return Number.isFinite(newest) ? Math.min(nowMs, newest) : nowMs;
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
      lastChangeMs: this.lastChangeMs,
      nowMs,
      staleAfterMs: this.options.staleAfterMs,
      timeZone: this.options.timeZone,
      hour12: this.options.hour12,
    });
    return (
      state !== c.state ||
      problemText(problem) !== problemText(c.problem) ||
      localDay(nowMs, this.options.timeZone) !== c.day ||
      schemaVersion !== c.schemaVersion
    );
  }

  /** One key's symbol state; a key whose value breaks the derivation shows as that key's error. */
  private deriveSymbol(entry: KeyEntry, currency: string | null): SymbolState | null {
    try {
      return symbolState(entry, currency, this.options.timeZone);
    } catch (error) {
      this.report(`key ${JSON.stringify(entry.key)} cannot be shown: ${describe(error)}`, {
        key: entry.key,
        error,
      });
      return null;
    }
  }

  private build(
    version: number,
    problem: ReadProblem | null,
    newEvents: EngineEvent[],
    nowMs: number,
    schemaVersion: number | null = null,
  ): Snapshot {
    const { snapshot, symbolCache, currency } = buildSnapshot({
      ...this.options,
      version,
      problem,
      newEvents,
      nowMs,
      lastChangeMs: this.lastChangeMs,
      schemaVersion,
      entries: this.entries,
      ledger: this.ledger,
      symbolCache: this.symbolCache,
      cachedCurrency: this.cachedCurrency,
      derive: (entry, currency) => this.deriveSymbol(entry, currency),
    });
    this.symbolCache = symbolCache;
    this.cachedCurrency = currency;
    return snapshot;
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function problemText(problem: ReadProblem | null): string {
  return problem ? `${problem.kind}:${'code' in problem ? problem.code : ''}` : '';
}
