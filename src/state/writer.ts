import type Database from 'better-sqlite3';
import {
  BROKER_KEY,
  type BrokerValue,
  type ChartValue,
  chartKey,
  ENGINE_KEY,
  type EngineValue,
  type Level,
  type OpenObject,
  SUMMARY_KEY,
  type SummaryValue,
} from '../contract/index.js';
import { openWriterDatabase } from './database.js';
import {
  createRateLimitedStderrReporter,
  type ErrorContext,
  type ErrorReporter,
  guarded,
  reportOrThrow,
  StateWriterError,
} from './errors.js';
import { type Built, buildEvent, buildSafely, buildTrade, type TradeInput } from './events.js';
import { flushOnExit, forgetOnExit } from './exit-flush.js';
import {
  pairsOf,
  type ResolvedOptions,
  resolveOptions,
  type StateWriterOptions,
} from './options.js';
import { checkKey, checkObject, serializeObject } from './serialize.js';
import { Statements, type StatusChange } from './statements.js';
import { PendingWrites } from './write-behind.js';

/**
 * Publishes an engine's live state into a tradewatch SQLite file. Never throws into the
 * caller (unless `strict`): every method returns whether its write was accepted and reports
 * problems through `onError`. A failed write loses that write only.
 *
 * @example
 * import { StateWriter } from 'tradewatch/state';
 * const state = StateWriter.open('data/engine.db');
 * state.summary({ cash: 10_000, value: 10_250, currency: 'USD' });
 * state.symbol('EURUSD', { price: 1.08421, position_size: 1000, position_price: 1.084 });
 * state.heartbeat();
 * state.recordTrade({ symbol: 'EURUSD', side: 'long', qty: 1000, pnl: 12.5 });
 * state.close();
 */
export class StateWriter {
  private readonly statements: Statements;
  private readonly options: ResolvedOptions;
  private readonly report: ErrorReporter;
  private readonly pending: PendingWrites;
  private closed = false;
  private readonly startedAt = new Date(Date.now() - process.uptime() * 1000).toISOString();

  /**
   * Opens or creates the database at `path` (and its folder), in WAL mode, with the v1 schema.
   * A database from the original Python design is upgraded in place. Throws `StateWriterError`
   * (`schema-too-new`, `schema-incompatible`) or SQLite's error when the file cannot be used:
   * this happens at start-up, not in the engine's loop.
   */
  static open(path: string, options: StateWriterOptions = {}): StateWriter {
    const merged = resolveOptions(options);
    const db = openWriterDatabase(path, merged);
    return new StateWriter(db, merged, options.onError);
  }

  private constructor(
    private readonly db: Database.Database,
    options: ResolvedOptions,
    onError: ErrorReporter | undefined,
  ) {
    this.options = options;
    this.report = onError ?? createRateLimitedStderrReporter();
    this.statements = new Statements(db, options);
    this.pending = new PendingWrites(options.flushMs, () => this.flush());
    if (this.writeBehind && options.flushOnExit) flushOnExit(this);
  }

  private get writeBehind(): boolean {
    return this.options.flushMs > 0;
  }

  /** Number of keys and events waiting for the next write-behind flush. */
  get pendingCount(): number {
    return this.pending.count;
  }

  /**
   * Writes one key's JSON object value. Returns false when it was rejected or failed. Not an
   * object (null too, in either mode: `remove()` deletes) or nested > 64 levels: reported.
   *
   * In write-behind mode the value is serialised at the flush, so only the latest of many
   * updates to a key is ever serialised: pass a fresh object, or expect later changes to the
   * same object before the flush to be what is written.
   */
  update(key: string, value: object): boolean {
    const context: ErrorContext = { op: 'update', key };
    return this.guard(context, false, () => {
      if (this.writeBehind) {
        // Checked now: staged, a null would be taken for a removal.
        const notObject = checkObject(value);
        return notObject ? this.reject(notObject, context) : this.stage(key, value, context);
      }
      const json = this.prepareValue(key, value, context);
      if (json === null) return false;
      return this.attempt(context, () => this.statements.upsertOne(key, json));
    });
  }

  /**
   * Writes several keys in one transaction. Invalid entries are reported and skipped; the rest
   * are written together. Returns how many were accepted (0 if the transaction failed). An
   * argument that is not pairs or an object, or an item that is not a `[key, value]` pair, is
   * reported as `invalid-entries`.
   */
  updateMany(entries: Iterable<readonly [string, object]> | Record<string, object>): number {
    return this.guard({ op: 'update' }, 0, () => {
      const { pairs, problems } = pairsOf(entries);
      for (const problem of problems)
        this.reject(new StateWriterError('invalid-entries', problem), { op: 'update' });
      if (this.writeBehind)
        return pairs.filter(([key, value]) => this.update(key as string, value as object)).length;
      const changes: StatusChange[] = [];
      for (const [key, value] of pairs) {
        const json = this.prepareValue(key as string, value, { op: 'update', key: key as string });
        if (json !== null) changes.push([key as string, json]);
      }
      if (changes.length === 0) return 0;
      return this.attempt({ op: 'update' }, () => this.statements.commit(changes, []))
        ? changes.length
        : 0;
    });
  }

  /** Deletes a key (e.g. a symbol no longer traded). */
  remove(key: string): boolean {
    const context: ErrorContext = { op: 'remove', key };
    return this.guard(context, false, () => {
      if (this.writeBehind) return this.stage(key, null, context);
      if (!this.usable(context)) return false;
      const keyError = checkKey(key);
      if (keyError) return this.reject(keyError, context);
      return this.attempt(context, () => this.statements.removeOne(key));
    });
  }

  /** Writes the `summary` key: the account. */
  summary(value: SummaryValue): boolean {
    return this.update(SUMMARY_KEY, value);
  }

  /** Writes `chart_<symbol>`: one instrument's price, position and indicators. */
  symbol(symbol: string, state: ChartValue): boolean {
    return this.update(chartKey(symbol), state);
  }

  /** Writes the `engine` heartbeat: status `running` unless given, with pid and start time. */
  heartbeat(extra: EngineValue = {}): boolean {
    return this.update(ENGINE_KEY, {
      status: 'running',
      pid: process.pid,
      started_at: this.startedAt,
      ...extra,
    });
  }

  /** Writes the `broker` key: the broker connection. */
  broker(value: BrokerValue): boolean {
    return this.update(BROKER_KEY, value);
  }

  /**
   * Appends a closed trade to the journal. `side`: long/short/buy/sell in any case, stored as
   * long/short. Times beyond Date's range (epoch ns) are reported as `invalid-event`.
   */
  recordTrade(trade: TradeInput): boolean {
    return this.append({ op: 'trade' }, () => buildTrade(trade, this.options.maxValueBytes));
  }

  /**
   * Appends an engine event (an alert the engine raises, an order, a note) to the journal.
   * Levels: INFO, WARNING, ERROR, CRITICAL (plain JavaScript may also pass `warn`, `fatal`...:
   * repaired at run time, but TypeScript holds callers to `Level` so a typo fails to compile).
   */
  event(
    type: string,
    level: Level,
    message: string,
    data?: OpenObject<{ symbol?: string }>,
  ): boolean {
    return this.append({ op: 'event' }, () =>
      buildEvent(type, level, message, data, this.options.maxValueBytes),
    );
  }

  /**
   * Commits all pending write-behind values now, in one transaction. On failure they stay
   * pending (newer values still replace them) and another flush is scheduled.
   */
  flush(): boolean {
    this.pending.cancel();
    if (this.closed || this.pendingCount === 0) return true;
    const changes: StatusChange[] = [];
    for (const [key, value] of this.pending.status) {
      const json = value === null ? null : this.prepareValue(key, value, { op: 'update', key });
      if (value !== null && json === null)
        this.pending.status.delete(key); // reported; never retried
      else changes.push([key, json]);
    }
    const events = this.pending.events;
    const ok = this.attempt({ op: 'flush' }, () => this.statements.commit(changes, events));
    if (ok) this.pending.clear();
    else this.pending.schedule();
    return ok;
  }

  /** Flushes pending writes and closes the database. Later calls are reported and ignored. */
  close(): void {
    if (this.closed) return;
    this.flush();
    forgetOnExit(this);
    this.closed = true;
    this.db.close();
  }

  /** Write-behind: records the latest value (or removal) of a key for the next flush. */
  private stage(key: string, value: object | null, context: ErrorContext): boolean {
    if (!this.usable(context)) return false;
    const keyError = checkKey(key);
    if (keyError) return this.reject(keyError, context);
    // Strict mode (tests) validates now, so that the call itself throws.
    if (this.options.strict && value !== null && this.prepareValue(key, value, context) === null)
      return false;
    this.pending.setStatus(key, value);
    return true;
  }

  private append(context: ErrorContext, build: () => Built): boolean {
    return this.guard(context, false, () => {
      if (!this.usable(context)) return false;
      const built = buildSafely(build);
      if (!built.ok) return this.reject(built.error, context);
      if (built.warning) this.report(built.warning, context);
      if (!this.writeBehind)
        return this.attempt(context, () => this.statements.insertEventOne(built.row));
      const dropped = this.pending.addEvent(built.row);
      if (dropped) this.fail(new StateWriterError('write-failed', dropped), context);
      return true;
    });
  }

  /** The value's JSON text, or null after reporting why it cannot be written. */
  private prepareValue(key: string, value: unknown, context: ErrorContext): string | null {
    if (!this.usable(context)) return null;
    const keyError = checkKey(key);
    if (keyError) {
      this.reject(keyError, context);
      return null;
    }
    const serialized = serializeObject(value, this.options.maxValueBytes);
    if (!serialized.ok) {
      this.reject(serialized.error, context);
      return null;
    }
    if (serialized.repaired) this.fail(serialized.repaired, context);
    return serialized.json;
  }

  private usable(context: ErrorContext): boolean {
    return this.closed
      ? this.reject(new StateWriterError('closed', 'the writer is closed'), context)
      : true;
  }

  private attempt(context: ErrorContext, write: () => void): boolean {
    try {
      write();
      return true;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return this.reject(new StateWriterError('write-failed', message, { cause: error }), context);
    }
  }

  private guard<T>(context: ErrorContext, failed: T, run: () => T): T {
    return guarded(this.options.strict, this.report, context, failed, run);
  }

  /** Reports (or, when strict, throws) and returns false. */
  private reject(error: StateWriterError, context: ErrorContext): false {
    this.fail(error, context);
    return false;
  }

  private fail(error: StateWriterError, context: ErrorContext): void {
    reportOrThrow(this.options.strict, this.report, error, context);
  }
}
