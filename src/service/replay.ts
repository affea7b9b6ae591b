import type Database from 'better-sqlite3';
import { AlertsAt } from '../monitor/replay/alerts-at.js';
import { ReplayReader } from '../monitor/replay/reader.js';
import { type RecorderOptions, ReplayRecorder } from '../monitor/replay/recorder.js';
import { ReplayStore } from '../monitor/replay/store.js';
import { EntryCache } from '../reader/entries.js';
import type { EnginePoller } from '../reader/poller.js';
import { rebuildSnapshot } from '../reader/rebuild.js';
import type { ReplayView } from '../web/replay/types.js';

export interface Replay {
  view: ReplayView;
  recorder: ReplayRecorder;
  store: ReplayStore;
  /** Moves to a new sidecar connection (the file was recreated). */
  attach(db: Database.Database): void;
  /** Deletes what is older than the retention (run with history's pruning). */
  prune(nowMs?: number): number;
  /** Stores what is queued; resolves once it is written. */
  stop(): Promise<void>;
}

/**
 * Replay wired to the pollers: every snapshot and journal read is recorded in the sidecar
 * (after the alert store created its tables on it); pages and the API read it back.
 */
export function createReplay(
  sidecar: Database.Database,
  pollers: readonly EnginePoller[],
  retentionMs: number,
  options: RecorderOptions = {},
): Replay {
  const store = new ReplayStore(sidecar);
  const alertsAt = new AlertsAt(sidecar);
  const recorder = new ReplayRecorder(store, options);
  for (const poller of pollers) {
    const engine = poller.options.name;
    poller.on('journal', (events, reset) => recorder.journal(engine, events, reset));
    poller.on('snapshot', (snapshot, previous) => recorder.observe(snapshot, previous));
  }
  // One entry cache per engine: scrubbing to the next moment parses only the rows that differ.
  const caches = new Map<string, EntryCache>();
  const reader = new ReplayReader(store, (engine, recorded, atMs) => {
    const options = pollers.find((p) => p.options.name === engine)?.options;
    if (!options) return null;
    let entries = caches.get(engine);
    if (!entries) {
      entries = new EntryCache(options.timeZone, options.maxValueBytes ?? 1024 * 1024);
      caches.set(engine, entries);
    }
    return rebuildSnapshot(options, recorded, atMs, entries);
  });
  const view: ReplayView = {
    window(engine, nowMs) {
      const w = store.window(engine);
      return w && { fromMs: w.fromMs, toMs: Math.max(nowMs, w.lastMs) };
    },
    at: (engine, atMs) => reader.at(engine, atMs),
    alertsAt: (engine, atMs) => alertsAt.at(engine, atMs),
    marks: (engine) => ({
      trades: store.tradeTimes(engine),
      alerts: alertsAt.firedTimes(engine),
      states: store.stateChanges(engine),
    }),
    step: (engine, atMs, direction) => store.step(engine, atMs, direction),
  };
  return {
    view,
    recorder,
    store,
    attach(db) {
      store.attach(db);
      alertsAt.attach(db);
    },
    prune: (nowMs = Date.now()) => store.prune(nowMs - retentionMs),
    stop: () => recorder.stop(),
  };
}
