import type { Level } from '../../contract/index.js';
import type { Alert } from '../../monitor/alerts/types.js';
import type { ReplayMoment } from '../../monitor/replay/reader.js';
import type { EngineState } from '../../reader/types.js';

/** The time bar's marks: when trades were seen, alerts fired and the engine's state changed. */
export interface ReplayMarks {
  trades: number[];
  alerts: Array<[t: number, level: Level]>;
  states: Array<[t: number, state: EngineState]>;
}

/** What pages and the API may ask of replay (the recorder's store, read-only). */
export interface ReplayView {
  /** From the first keyframe to now; null when nothing of this engine is recorded. */
  window(engine: string, nowMs: number): { fromMs: number; toMs: number } | null;
  /** The engine as it was at `atMs`; null when nothing was recorded by then. */
  at(engine: string, atMs: number): ReplayMoment | null;
  /** Alerts active at `atMs` (pending or firing then), about this engine or the host. */
  alertsAt(engine: string, atMs: number): Alert[];
  marks(engine: string): ReplayMarks;
  /** The recorded change right after (or before) `atMs`. */
  step(engine: string, atMs: number, direction: 'next' | 'prev'): number | null;
}
