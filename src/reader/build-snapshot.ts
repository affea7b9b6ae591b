import { localDay } from '../contract/index.js';
import { accountSummary, brokerStatus, heartbeat, symbolState } from './derive.js';
import type { ReadProblem } from './engine-db.js';
import { engineState } from './engine-state.js';
import type { EntryCache } from './entries.js';
import type { Ledger } from './ledger.js';
import type { EngineEvent, KeyEntry, Snapshot, SymbolState } from './types.js';

export interface SnapshotInput {
  name: string;
  path: string;
  staleAfterMs: number;
  timeZone: string;
  version: number;
  problem: ReadProblem | null;
  newEvents: EngineEvent[];
  nowMs: number;
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
    lastUpdateMs: beat?.updatedAtMs ?? lastUpdateMs,
    nowMs,
    staleAfterMs: input.staleAfterMs,
  });
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
