import { localDay } from '../contract/index.js';
import { accountSummary, brokerStatus, heartbeat, symbolState } from './derive.js';
import type { ReadProblem } from './engine-db.js';
import { clockSkewMs, clockWarning, engineState } from './engine-state.js';
import type { EntryCache } from './entries.js';
import type { Ledger } from './ledger.js';
import type { EngineEvent, KeyEntry, Snapshot, SymbolState } from './types.js';

export interface SnapshotInput {
  name: string;
  path: string;
  staleAfterMs: number;
  timeZone: string;
  /** Clock style of the times in the state's reason. */
  hour12?: boolean;
  version: number;
  problem: ReadProblem | null;
  newEvents: EngineEvent[];
  nowMs: number;
  /** When the dashboard last saw the file change (its own clock): what liveness is measured from. */
  lastChangeMs: number | null;
  schemaVersion: number | null;
  entries: EntryCache;
  ledger: Ledger;
  /** Symbol states derived before (for `cachedCurrency`), reused for unchanged entries. */
  symbolCache: ReadonlyMap<KeyEntry, SymbolState>;
  cachedCurrency?: string | null;
  /** One key's symbol state (the poller reports a key that breaks it). */
  derive?: (entry: KeyEntry, currency: string | null) => SymbolState | null;
}

/**
 * The one place a Snapshot is made from parsed rows and the journal: the live poller and replay
 * (which feeds it recorded rows) both call it, so a past page is built exactly as it was served.
 * Returns the symbol cache to reuse next time.
 *
 * @example
 * const { snapshot } = buildSnapshot({ ...options, entries, ledger, symbolCache: new Map() });
 */
export function buildSnapshot(input: SnapshotInput): {
  snapshot: Snapshot;
  symbolCache: Map<KeyEntry, SymbolState>;
  currency: string | null;
} {
  const { entries, ledger, nowMs, problem } = input;
  const derive = input.derive ?? symbolState;
  const keys = entries.sorted();
  const summary = accountSummary(entries);
  const currency = summary?.currency ?? null;
  // A symbol's P&L depends on the account currency: a new currency invalidates every symbol.
  const previous = currency === (input.cachedCurrency ?? null) ? input.symbolCache : new Map();
  const symbolCache = new Map<KeyEntry, SymbolState>();
  const symbols: SymbolState[] = [];
  let lastUpdateMs: number | null = null;
  for (const entry of keys) {
    if (entry.updatedAtMs !== null && (lastUpdateMs === null || entry.updatedAtMs > lastUpdateMs))
      lastUpdateMs = entry.updatedAtMs;
    const state = previous.get(entry) ?? derive(entry, currency);
    if (state) {
      symbolCache.set(entry, state);
      symbols.push(state);
    }
  }
  const beat = heartbeat(entries);
  const { state, reason } = engineState({
    problem,
    hasData: keys.length > 0,
    heartbeat: beat,
    lastChangeMs: input.lastChangeMs,
    nowMs,
    staleAfterMs: input.staleAfterMs,
    timeZone: input.timeZone,
    hour12: input.hour12,
  });
  // Measured against when the change was seen, not now: the same skew however long ago it was.
  const skew = clockSkewMs(lastUpdateMs, input.lastChangeMs ?? nowMs);
  const snapshot: Snapshot = Object.freeze({
    engine: input.name,
    path: input.path,
    version: input.version,
    builtAtMs: nowMs,
    state,
    stateReason: reason,
    problem,
    schemaVersion: input.schemaVersion,
    lastUpdateMs,
    lastChangeMs: input.lastChangeMs,
    clockSkewMs: skew,
    clockWarning: clockWarning(skew, input.timeZone),
    heartbeat: beat,
    summary,
    broker: brokerStatus(entries),
    symbols,
    positions: symbols.filter((s) => s.positionSize !== 0),
    keys,
    newEvents: input.newEvents,
    recentEvents: ledger.recentEvents(),
    recentTrades: ledger.recentTrades(),
    today: ledger.todayStats(nowMs),
    day: localDay(nowMs, input.timeZone),
  });
  return { snapshot, symbolCache, currency };
}
