import type { RawEvent } from '../../reader/engine-db.js';
import type { RawRow } from '../../reader/status-rows.js';
import type { EngineState, KeyEntry, Snapshot } from '../../reader/types.js';
import { encodeEvents, recordText } from './codec.js';
import { Compressor } from './compressor.js';
import type { ReplayStore } from './store.js';

/** No key is recorded more often than this (the same bound as history's samples). */
export const RECORD_EVERY_MS = 1000;

export interface RecorderOptions {
  /**
   * A keyframe is written once the deltas since the last one add up to this many times its
   * size: rebuilding any moment then decodes at most about this much more than one keyframe.
   */
  keyframeRatio?: number;
  /** ...and at least this often, so a quiet engine's moments are never far from a keyframe. */
  keyframeEveryMs?: number;
  onError?: (error: unknown, engine: string) => void;
}

interface Track {
  latest: Snapshot | null;
  rows: Map<string, RawRow>;
  deleted: Set<string>;
  events: RawEvent[];
  reset: boolean;
  /** The journal is known empty since the last reset: another reset adds nothing. */
  journalEmpty: boolean;
  dirty: boolean;
  /** Dictionary for the next delta; null: the next record is a keyframe. */
  lastText: string | null;
  lastT: number;
  keyframeT: number;
  keyframeBytes: number;
  deltaBytes: number;
  recorded: { state: EngineState | null; problem: string | null; schema: number | null };
  timer: NodeJS.Timeout | null;
  /** A flush is due and will run right after the current tick. */
  queued: boolean;
}

/**
 * Records every change the pollers observe — the rows that changed, as read, and the journal —
 * into the replay tables: at most one record per engine (so per key) a second, keyframes now
 * and then. Fed from what the poller already has: no extra read of any engine database.
 */
export class ReplayRecorder {
  private readonly tracks = new Map<string, Track>();
  private readonly keyframeRatio: number;
  private readonly keyframeEveryMs: number;
  private readonly compressor = new Compressor();

  constructor(
    private readonly store: ReplayStore,
    private readonly options: RecorderOptions = {},
  ) {
    this.keyframeRatio = options.keyframeRatio ?? 4;
    this.keyframeEveryMs = options.keyframeEveryMs ?? 600_000;
  }

  /** A new snapshot: queues the keys that changed since `previous` (same-object entries did not). */
  observe(snapshot: Snapshot, previous: Snapshot): void {
    const track = this.track(snapshot.engine);
    diffKeys(previous.keys, snapshot.keys, track);
    track.latest = snapshot;
    track.dirty = true;
    this.schedule(snapshot.engine, track, snapshot.builtAtMs);
  }

  /** Journal rows as read; `reset` voids the ones before. */
  journal(engine: string, events: readonly RawEvent[], reset: boolean): void {
    const track = this.track(engine);
    if (reset && !(track.journalEmpty && events.length === 0)) {
      track.events = [];
      track.reset = true;
      track.dirty = true;
    }
    track.journalEmpty = reset ? events.length === 0 : track.journalEmpty && events.length === 0;
    if (events.length > 0) {
      track.events.push(...events);
      track.dirty = true;
    }
  }

  /** Records being compressed, not yet stored. */
  private readonly inFlight = new Set<Promise<void>>();

  /** Writes what is queued for every engine now; resolves once everything is stored. */
  flushAll(): Promise<void> {
    for (const [engine, track] of this.tracks) this.flush(engine, track);
    return this.settled();
  }

  /** Makes the records that are due and resolves once every record made so far is stored. */
  async settled(): Promise<void> {
    for (const [engine, track] of this.tracks) if (track.queued) this.flush(engine, track);
    while (this.inFlight.size > 0) await Promise.all(this.inFlight);
  }

  /** After the sidecar file was recreated elsewhere, or a failed write: start each chain afresh. */
  restartChains(): void {
    for (const track of this.tracks.values()) track.lastText = null;
  }

  async stop(): Promise<void> {
    for (const track of this.tracks.values()) if (track.timer) clearTimeout(track.timer);
    await this.flushAll();
    await this.compressor.close();
  }

  private schedule(engine: string, track: Track, nowMs: number): void {
    const wait = track.lastT + RECORD_EVERY_MS - nowMs;
    if (wait <= 0) {
      // Right after the tick, not in it: the poll (and every other snapshot consumer) goes first.
      if (!track.queued) {
        track.queued = true;
        setImmediate(() => this.flush(engine, track));
      }
    } else if (!track.timer) {
      track.timer = setTimeout(() => {
        track.timer = null;
        this.flush(engine, track);
      }, wait);
      track.timer.unref();
    }
  }

  /** Main-thread time spent making records (after ticks), in ms: for the benchmark. */
  workMs = 0;

  private flush(engine: string, track: Track): void {
    track.queued = false;
    const snapshot = track.latest;
    if (!track.dirty || !snapshot) return;
    const started = performance.now();
    try {
      this.record(engine, track, snapshot);
    } finally {
      this.workMs += performance.now() - started;
    }
  }

  private record(engine: string, track: Track, snapshot: Snapshot): void {
    const t = Math.max(snapshot.builtAtMs, track.lastT + 1);
    const keyframe =
      track.lastText === null ||
      (track.keyframeBytes > 0 && track.deltaBytes >= track.keyframeBytes * this.keyframeRatio) ||
      t - track.keyframeT >= this.keyframeEveryMs;
    const body = keyframe
      ? { rows: snapshot.keys.map(rowOf), deleted: [] }
      : { rows: [...track.rows.values()], deleted: [...track.deleted] };
    const problem = snapshot.problem ? JSON.stringify(snapshot.problem) : null;
    try {
      if (
        !keyframe &&
        body.rows.length === 0 &&
        body.deleted.length === 0 &&
        track.events.length === 0 &&
        !track.reset &&
        snapshot.state === track.recorded.state &&
        problem === track.recorded.problem &&
        snapshot.schemaVersion === track.recorded.schema
      ) {
        track.dirty = false;
        return; // nothing a page could show differently
      }
      const text = recordText(body);
      const bytes = this.compressor.deflate(text, keyframe ? null : track.lastText);
      const journal =
        track.events.length > 0 || track.reset
          ? {
              t,
              reset: track.reset,
              trades: track.events.filter((e) => e.type === 'trade').length,
              events: encodeEvents(track.events),
            }
          : null;
      const record = {
        t,
        keyframe,
        state: snapshot.state,
        problem,
        schema: snapshot.schemaVersion,
        changedAt: snapshot.lastChangeMs,
      };
      const stored = bytes
        .then((body) => {
          this.store.insert(engine, { ...record, body });
          if (journal) this.store.insertJournal(engine, journal);
          if (keyframe) track.keyframeBytes = body.length;
          else track.deltaBytes += body.length;
        })
        .catch((error: unknown) => {
          track.lastText = null; // the chain has a gap: the next record is a keyframe
          this.options.onError?.(error, engine);
        })
        .finally(() => this.inFlight.delete(stored));
      this.inFlight.add(stored);
      track.lastText = text;
      // Stored sizes steer keyframes; they are added as compression finishes.
      if (keyframe) {
        track.keyframeT = t;
        track.deltaBytes = 0;
      }
      track.recorded = { state: snapshot.state, problem, schema: snapshot.schemaVersion };
    } catch (error) {
      track.lastText = null; // the chain has a gap: the next record is a keyframe
      this.options.onError?.(error, engine);
    }
    track.lastT = t;
    track.rows.clear();
    track.deleted.clear();
    track.events = [];
    track.reset = false;
    track.dirty = false;
  }

  private track(engine: string): Track {
    let track = this.tracks.get(engine);
    if (!track) {
      track = {
        latest: null,
        rows: new Map(),
        deleted: new Set(),
        events: [],
        reset: false,
        journalEmpty: false,
        dirty: false,
        lastText: null,
        lastT: 0,
        keyframeT: 0,
        keyframeBytes: 0,
        deltaBytes: 0,
        recorded: { state: null, problem: null, schema: null },
        timer: null,
        queued: false,
      };
      this.tracks.set(engine, track);
    }
    return track;
  }
}

/** The row an entry was parsed from (EntryCache keeps unchanged entries as the same object). */
function rowOf(e: KeyEntry): RawRow {
  return e.raw === null ? [e.key, null, e.updatedAt, e.bytes] : [e.key, String(e.raw), e.updatedAt];
}

/** Both lists are sorted by key: one merge walk finds what changed, came or went. */
function diffKeys(before: readonly KeyEntry[], after: readonly KeyEntry[], track: Track): void {
  let i = 0;
  let j = 0;
  while (i < before.length || j < after.length) {
    const a = before[i];
    const b = after[j];
    if (b && (!a || b.key < a.key)) {
      track.rows.set(b.key, rowOf(b));
      track.deleted.delete(b.key);
      j++;
    } else if (a && (!b || a.key < b.key)) {
      track.rows.delete(a.key);
      track.deleted.add(a.key);
      i++;
    } else if (a && b) {
      if (a !== b) track.rows.set(b.key, rowOf(b));
      i++;
      j++;
    }
  }
}
