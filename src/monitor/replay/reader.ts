import type { ReadProblem } from '../../reader/engine-db.js';
import type { RecordedState } from '../../reader/rebuild.js';
import type { RawRow } from '../../reader/status-rows.js';
import type { Snapshot, Trade } from '../../reader/types.js';
import { decodeEvents, decodeRecord } from './codec.js';
import type { ReplayStore } from './store.js';

/** A moment rebuilt: the snapshot the poller had then, and the journal's trades as of then. */
export interface ReplayMoment {
  snapshot: Snapshot;
  tradesSince(sinceMs: number): Trade[];
}

/**
 * Rebuilds an engine's state at a past moment: the keyframe before it, every delta up to it
 * (each decoded with the one before as its dictionary), the journal since the last reset —
 * then the live code path (rebuildSnapshot) turns those rows into a Snapshot.
 */
export class ReplayReader {
  constructor(
    private readonly store: ReplayStore,
    /** Turns recorded rows into a moment: the reader's rebuildSnapshot, handed in (monitor takes only types from reader). */
    private readonly rebuild: (
      engine: string,
      recorded: RecordedState,
      atMs: number,
    ) => ReplayMoment | null,
  ) {}

  /** Rows, journal and problem as recorded at `atMs`; null when nothing was recorded by then. */
  recorded(engine: string, atMs: number): RecordedState | null {
    const chain = this.store.chain(engine, atMs);
    if (chain.length === 0) return null;
    const rows = new Map<string, RawRow>();
    let text: string | null = null;
    for (const record of chain) {
      if (!record.keyframe && text === null) continue; // after a gap: wait for a keyframe
      let decoded: ReturnType<typeof decodeRecord>;
      try {
        decoded = decodeRecord(record.body, record.keyframe ? null : text);
      } catch {
        // A record whose predecessor was never stored (a failed write): the moments up to the
        // next keyframe show the last state that could be rebuilt.
        text = null;
        continue;
      }
      text = decoded.text;
      if (record.keyframe) rows.clear();
      for (const key of decoded.body.deleted) rows.delete(key);
      for (const row of decoded.body.rows) rows.set(row[0], row);
    }
    const last = chain[chain.length - 1];
    const events = this.store.journal(engine, atMs).flatMap((j) => decodeEvents(j.events));
    return {
      rows: [...rows.values()],
      events,
      problem: last?.problem ? (JSON.parse(last.problem) as ReadProblem) : null,
      schemaVersion: last?.schema ?? null,
      lastChangeMs: last?.changedAt ?? null,
    };
  }

  /** The moment rebuilt as a Snapshot; null when nothing was recorded by then. */
  at(engine: string, atMs: number): ReplayMoment | null {
    const recorded = this.recorded(engine, atMs);
    return recorded ? this.rebuild(engine, recorded, atMs) : null;
  }
}
