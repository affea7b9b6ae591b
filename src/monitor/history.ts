import type Database from 'better-sqlite3';
import { localDay } from '../contract/index.js';
import { symbolSeries } from '../contract/series.js';
import type { Snapshot } from '../reader/types.js';
import { MAX_SYMBOL_SERIES } from './prometheus.js';

/** A chart point: [epoch ms, value]. */
export type Point = [number, number];
/** A rolled-up bucket: [epoch ms of its last sample, min, avg, max]. */
export type RollupPoint = [number, number, number, number];

/** Series are named `equity`, `cash`, `price:SYM`, `position:SYM`, `ind:SYM:field` (SYM: see seriesSymbol). */
export function seriesOf(snapshot: Snapshot): Array<[series: string, value: number]> {
  const out: Array<[string, number]> = [];
  if (snapshot.summary?.equity != null) out.push(['equity', snapshot.summary.equity]);
  if (snapshot.summary?.cash != null) out.push(['cash', snapshot.summary.cash]);
  for (const s of snapshot.symbols.slice(0, MAX_SYMBOL_SERIES)) {
    const names = symbolSeries(s.symbol);
    if (s.price !== null) out.push([names.price, s.price]);
    out.push([names.position, s.positionSize]);
    for (const [field, value] of Object.entries(s.indicators))
      out.push([names.indicator(field), value]);
  }
  return out;
}

/** A flat series still gets a point this often, so charts reach "now". */
const HEARTBEAT_SAMPLE_MS = 60_000;
/** No series is sampled more often than this, however fast the engine writes. */
const MIN_SAMPLE_MS = 1000;

interface SeriesMemo {
  lastValue: number;
  lastAt: number;
  day: string;
  dayFirst: number;
  dayHigh: number;
  dayLow: number;
}

/**
 * The equity curve, price and indicator series: sampled from each changed snapshot into the
 * sidecar database, kept `retentionMs`, and served downsampled for charts. Per-symbol series
 * follow the same cap as /metrics (the first 200 symbols by name).
 */
export class HistoryStore {
  private insert!: Database.Statement;
  private readonly memo = new Map<string, SeriesMemo>();
  /** Every query, compiled once: points() runs on each snapshot for the performance panel. */
  private q!: Record<
    'firstSince' | 'bucketed' | 'rollup' | 'seriesNames' | 'prune' | 'last' | 'since',
    Database.Statement
  >;
  private writeSamples!: (engine: string, rows: Array<[string, number, number]>) => void;

  constructor(
    db: Database.Database,
    private readonly timeZone: string,
    private readonly retentionMs: number,
  ) {
    this.attach(db);
  }

  /** Creates the table if needed and compiles the queries on a connection (again after the sidecar file was recreated). */
  attach(db: Database.Database): void {
    db.exec(`CREATE TABLE IF NOT EXISTS samples (
      engine TEXT NOT NULL, series TEXT NOT NULL, ts INTEGER NOT NULL, value REAL NOT NULL)`);
    db.exec('CREATE INDEX IF NOT EXISTS samples_by_series ON samples (engine, series, ts)');
    db.exec('CREATE INDEX IF NOT EXISTS samples_by_ts ON samples (ts)');
    this.insert = db.prepare('INSERT INTO samples (engine, series, ts, value) VALUES (?, ?, ?, ?)');
    const byEngineSeries = 'FROM samples WHERE engine = ? AND series = ?';
    this.q = {
      firstSince: db.prepare(`SELECT min(ts) ${byEngineSeries} AND ts >= ?`).pluck(),
      // A bound JS number is REAL: CAST keeps the bucket division an integer one.
      bucketed: db
        .prepare(
          `SELECT max(ts), avg(value) ${byEngineSeries} AND ts >= ? GROUP BY ts / CAST(? AS INTEGER) ORDER BY 1`,
        )
        .raw(),
      rollup: db
        .prepare(
          `SELECT max(ts), min(value), avg(value), max(value) ${byEngineSeries} AND ts >= ? GROUP BY ts / CAST(? AS INTEGER) ORDER BY 1`,
        )
        .raw(),
      seriesNames: db
        .prepare(
          'SELECT DISTINCT series FROM samples WHERE engine = ? AND series >= ? AND series < ? ORDER BY series',
        )
        .pluck(),
      prune: db.prepare('DELETE FROM samples WHERE ts < ?'),
      last: db.prepare(`SELECT ts, value ${byEngineSeries} ORDER BY ts DESC LIMIT 1`).raw(),
      since: db.prepare(`SELECT ts, value ${byEngineSeries} AND ts >= ? ORDER BY ts`).raw(),
    };
    this.writeSamples = db.transaction((engine: string, rows: Array<[string, number, number]>) => {
      for (const [series, ts, value] of rows) this.insert.run(engine, series, ts, value);
    });
  }

  /** Samples a snapshot; returns what was recorded (for live chart pushes). */
  record(snapshot: Snapshot, nowMs = snapshot.builtAtMs): Array<[series: string, value: number]> {
    return this.recordSeries(snapshot.engine, seriesOf(snapshot), nowMs);
  }

  /**
   * Samples named values under an owner (an engine name, or HOST_OWNER for host metrics);
   * returns what was recorded.
   */
  recordSeries(
    engine: string,
    values: ReadonlyArray<readonly [series: string, value: number]>,
    nowMs: number,
  ): Array<[series: string, value: number]> {
    const rows: Array<[string, number, number]> = [];
    const recorded: Array<[string, number]> = [];
    const day = localDay(nowMs, this.timeZone);
    for (const [series, value] of values) {
      const key = `${engine}|${series}`;
      const memo = this.memo.get(key) ?? this.loadMemo(engine, series, day, nowMs);
      const due =
        nowMs - memo.lastAt >= (value === memo.lastValue ? HEARTBEAT_SAMPLE_MS : MIN_SAMPLE_MS);
      if (memo.day !== day || Number.isNaN(memo.dayFirst))
        Object.assign(memo, { day, dayFirst: value, dayHigh: value, dayLow: value });
      memo.dayHigh = Math.max(memo.dayHigh, value);
      memo.dayLow = Math.min(memo.dayLow, value);
      this.memo.set(key, memo);
      if (!due) continue;
      memo.lastValue = value;
      memo.lastAt = nowMs;
      rows.push([series, nowMs, value]);
      recorded.push([series, value]);
    }
    if (rows.length > 0) this.writeSamples(engine, rows);
    return recorded;
  }

  /** Points since `sinceMs`, averaged into at most `maxPoints` time buckets. */
  points(
    engine: string,
    series: string,
    sinceMs: number,
    maxPoints = 1000,
    nowMs = Date.now(),
  ): Point[] {
    const bucketMs = this.bucketMs(engine, series, sinceMs, maxPoints, nowMs);
    return bucketMs === null
      ? []
      : (this.q.bucketed.all(engine, series, sinceMs, bucketMs) as Point[]);
  }

  /**
   * Min/avg/max per time bucket since `sinceMs`: for windows too long to chart every sample,
   * so a short spike is not averaged away.
   */
  rollup(
    engine: string,
    series: string,
    sinceMs: number,
    maxPoints = 1000,
    nowMs = Date.now(),
  ): RollupPoint[] {
    const bucketMs = this.bucketMs(engine, series, sinceMs, maxPoints, nowMs);
    return bucketMs === null
      ? []
      : (this.q.rollup.all(engine, series, sinceMs, bucketMs) as RollupPoint[]);
  }

  /**
   * Buckets span the data actually held, not the window asked for: a series 40 s old asked
   * for "the last 24 h" still gets 40 points, not one 86-second bucket. Null: no data.
   */
  private bucketMs(
    engine: string,
    series: string,
    sinceMs: number,
    maxPoints: number,
    nowMs: number,
  ): number | null {
    const first = this.q.firstSince.get(engine, series, sinceMs) as number | null;
    if (first === null) return null;
    return Math.max(1, Math.ceil((Math.max(nowMs, first + 1) - first) / maxPoints));
  }

  /** Series names recorded for an engine (optionally with a prefix). */
  seriesNames(engine: string, prefix = ''): string[] {
    return this.q.seriesNames.all(engine, prefix, `${prefix}\uffff`) as string[];
  }

  /** Today's first, highest and lowest value of a series (engine time zone), if sampled today. */
  today(engine: string, series: string): { first: number; high: number; low: number } | null {
    const memo = this.memo.get(`${engine}|${series}`);
    return memo && memo.day === localDay(Date.now(), this.timeZone)
      ? { first: memo.dayFirst, high: memo.dayHigh, low: memo.dayLow }
      : null;
  }

  /** Deletes samples older than the retention. */
  prune(nowMs = Date.now()): number {
    return this.q.prune.run(nowMs - this.retentionMs).changes;
  }

  /** After a restart, today's first/high/low and the last sample come from the database. */
  private loadMemo(engine: string, series: string, day: string, nowMs: number): SeriesMemo {
    const last = this.q.last.get(engine, series) as Point | undefined;
    const dayStart = nowMs - 36 * 3600_000; // a window that holds any zone's day; filtered below
    const today = (this.q.since.all(engine, series, dayStart) as Point[]).filter(
      ([ts]) => localDay(ts, this.timeZone) === day,
    );
    const values = today.map(([, v]) => v);
    return {
      lastValue: last ? last[1] : Number.NaN,
      lastAt: last ? last[0] : 0,
      day,
      dayFirst: values[0] ?? Number.NaN,
      // reduce, not Math.max(...values): a day of samples can exceed the argument limit.
      dayHigh: values.reduce((a, b) => Math.max(a, b), Number.NEGATIVE_INFINITY),
      dayLow: values.reduce((a, b) => Math.min(a, b), Number.POSITIVE_INFINITY),
    };
  }
}
