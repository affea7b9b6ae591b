import type Database from 'better-sqlite3';
import { localDay } from '../contract/index.js';
import type { Snapshot } from '../reader/types.js';
import { MAX_SYMBOL_SERIES } from './prometheus.js';

/** A chart point: [epoch ms, value]. */
export type Point = [number, number];

/** Series are named `equity`, `cash`, `price:SYM`, `position:SYM`, `ind:SYM:field`. */
export function seriesOf(snapshot: Snapshot): Array<[series: string, value: number]> {
  const out: Array<[string, number]> = [];
  if (snapshot.summary?.equity != null) out.push(['equity', snapshot.summary.equity]);
  if (snapshot.summary?.cash != null) out.push(['cash', snapshot.summary.cash]);
  for (const s of snapshot.symbols.slice(0, MAX_SYMBOL_SERIES)) {
    if (s.price !== null) out.push([`price:${s.symbol}`, s.price]);
    out.push([`position:${s.symbol}`, s.positionSize]);
    for (const [field, value] of Object.entries(s.indicators))
      out.push([`ind:${s.symbol}:${field}`, value]);
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
  private readonly insert: Database.Statement;
  private readonly memo = new Map<string, SeriesMemo>();
  private readonly writeSamples: (engine: string, rows: Array<[string, number, number]>) => void;

  constructor(
    private readonly db: Database.Database,
    private readonly timeZone: string,
    private readonly retentionMs: number,
  ) {
    db.exec(`CREATE TABLE IF NOT EXISTS samples (
      engine TEXT NOT NULL, series TEXT NOT NULL, ts INTEGER NOT NULL, value REAL NOT NULL)`);
    db.exec('CREATE INDEX IF NOT EXISTS samples_by_series ON samples (engine, series, ts)');
    db.exec('CREATE INDEX IF NOT EXISTS samples_by_ts ON samples (ts)');
    this.insert = db.prepare('INSERT INTO samples (engine, series, ts, value) VALUES (?, ?, ?, ?)');
    this.writeSamples = db.transaction((engine: string, rows: Array<[string, number, number]>) => {
      for (const [series, ts, value] of rows) this.insert.run(engine, series, ts, value);
    });
  }

  /** Samples a snapshot; returns what was recorded (for live chart pushes). */
  record(snapshot: Snapshot, nowMs = snapshot.builtAtMs): Array<[series: string, value: number]> {
    const rows: Array<[string, number, number]> = [];
    const recorded: Array<[string, number]> = [];
    const day = localDay(nowMs, this.timeZone);
    for (const [series, value] of seriesOf(snapshot)) {
      const key = `${snapshot.engine}|${series}`;
      const memo = this.memo.get(key) ?? this.loadMemo(snapshot.engine, series, day, nowMs);
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
    if (rows.length > 0) this.writeSamples(snapshot.engine, rows);
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
    // Buckets span the data actually held, not the window asked for: a series 40 s old asked
    // for "the last 24 h" still gets 40 points, not one 86-second bucket.
    const first = this.db
      .prepare('SELECT min(ts) FROM samples WHERE engine = ? AND series = ? AND ts >= ?')
      .pluck()
      .get(engine, series, sinceMs) as number | null;
    if (first === null) return [];
    const bucketMs = Math.max(1, Math.ceil((Math.max(nowMs, first + 1) - first) / maxPoints));
    const rows = this.db
      .prepare(
        `SELECT max(ts), avg(value) FROM samples WHERE engine = ? AND series = ? AND ts >= ?
         GROUP BY ts / CAST(? AS INTEGER) ORDER BY 1`, // a bound JS number is REAL: force integer buckets
      )
      .raw()
      .all(engine, series, sinceMs, bucketMs) as Point[];
    return rows;
  }

  /** Series names recorded for an engine (optionally with a prefix). */
  seriesNames(engine: string, prefix = ''): string[] {
    return this.db
      .prepare(
        'SELECT DISTINCT series FROM samples WHERE engine = ? AND series >= ? AND series < ? ORDER BY series',
      )
      .pluck()
      .all(engine, prefix, `${prefix}\uffff`) as string[];
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
    return this.db.prepare('DELETE FROM samples WHERE ts < ?').run(nowMs - this.retentionMs)
      .changes;
  }

  /** After a restart, today's first/high/low and the last sample come from the database. */
  private loadMemo(engine: string, series: string, day: string, nowMs: number): SeriesMemo {
    const last = this.db
      .prepare(
        'SELECT ts, value FROM samples WHERE engine = ? AND series = ? ORDER BY ts DESC LIMIT 1',
      )
      .raw()
      .get(engine, series) as Point | undefined;
    const dayStart = nowMs - 36 * 3600_000; // a window that holds any zone's day; filtered below
    const today = (
      this.db
        .prepare(
          'SELECT ts, value FROM samples WHERE engine = ? AND series = ? AND ts >= ? ORDER BY ts',
        )
        .raw()
        .all(engine, series, dayStart) as Point[]
    ).filter(([ts]) => localDay(ts, this.timeZone) === day);
    const values = today.map(([, v]) => v);
    return {
      lastValue: last ? last[1] : Number.NaN,
      lastAt: last ? last[0] : 0,
      day,
      dayFirst: values[0] ?? Number.NaN,
      dayHigh: values.length ? Math.max(...values) : Number.NEGATIVE_INFINITY,
      dayLow: values.length ? Math.min(...values) : Number.POSITIVE_INFINITY,
    };
  }
}
