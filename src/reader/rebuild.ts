import { buildSnapshot } from './build-snapshot.js';
import type { RawEvent, ReadProblem } from './engine-db.js';
import { EntryCache } from './entries.js';
import { Ledger } from './ledger.js';
import type { RawRow } from './status-rows.js';
import type { Snapshot, Trade } from './types.js';

/** What replay recorded of one engine up to a moment: rows and journal rows exactly as read. */
export interface RecordedState {
  rows: readonly RawRow[];
  events: readonly RawEvent[];
  problem: ReadProblem | null;
  schemaVersion: number | null;
  /** When the dashboard had last seen the file change, as of the moment. */
  lastChangeMs: number | null;
}

export interface RebuildOptions {
  name: string;
  path: string;
  staleAfterMs: number;
  timeZone: string;
  maxValueBytes?: number;
}

/**
 * The Snapshot an engine had at `atMs`, made from recorded rows by the same code the live poller
 * runs (EntryCache → Ledger → buildSnapshot), so a past page is the page that was served then.
 *
 * @example
 * const { snapshot } = rebuildSnapshot(options, recorded, Date.parse('2026-11-30T10:42:00Z'));
 */
export function rebuildSnapshot(
  options: RebuildOptions,
  recorded: RecordedState,
  atMs: number,
  /** Reused between rebuilds of one engine: like the poller's, it parses only rows that differ. */
  entries = new EntryCache(options.timeZone, options.maxValueBytes ?? 1024 * 1024),
): { snapshot: Snapshot; tradesSince: (sinceMs: number) => Trade[] } {
  const ledger = new Ledger(options.timeZone);
  entries.update(recorded.rows);
  ledger.append(recorded.events);
  const { snapshot } = buildSnapshot({
    ...options,
    version: 0,
    problem: recorded.problem,
    newEvents: [],
    nowMs: atMs,
    lastChangeMs: recorded.lastChangeMs,
    schemaVersion: recorded.schemaVersion,
    entries,
    ledger,
    symbolCache: new Map(),
  });
  return { snapshot, tradesSince: (sinceMs) => ledger.tradesSince(sinceMs) };
}
