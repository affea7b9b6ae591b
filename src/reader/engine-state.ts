import type { ReadProblem } from './engine-db.js';
import type { EngineState, Heartbeat } from './types.js';

/** Heartbeat statuses that mean the engine stopped on purpose. */
const STOPPED_STATUSES = new Set(['stopped', 'exited', 'down', 'shutdown', 'terminated']);
const ERROR_STATUSES = new Set(['error', 'failed', 'crashed', 'fatal']);
/** With no update for this many × stale-after, the engine is taken to be down, not just late. */
export const DOWN_FACTOR = 10;

export interface StateInput {
  problem: ReadProblem | null;
  hasData: boolean;
  heartbeat: Heartbeat | null;
  /** The heartbeat's time, else the newest `updated_at`. */
  lastUpdateMs: number | null;
  nowMs: number;
  staleAfterMs: number;
}

/** The engine's state and the sentence that explains it. */
export function engineState(input: StateInput): { state: EngineState; reason: string } {
  const { problem, heartbeat, lastUpdateMs, nowMs, staleAfterMs } = input;
  if (problem?.kind === 'waiting') return { state: 'waiting', reason: problem.message };
  if (problem?.kind === 'error') return { state: 'error', reason: problem.message };
  if (!input.hasData || lastUpdateMs === null)
    return { state: 'waiting', reason: 'the engine has not written any state yet' };
  const status = heartbeat?.status?.toLowerCase() ?? null;
  const age = Math.max(0, nowMs - lastUpdateMs);
  const ageText = describeAge(age);
  if (status && ERROR_STATUSES.has(status))
    return { state: 'error', reason: `the engine reports status "${heartbeat?.status}"` };
  if (status && STOPPED_STATUSES.has(status))
    return { state: 'down', reason: `the engine reported "${heartbeat?.status}" ${ageText} ago` };
  if (age > staleAfterMs * DOWN_FACTOR)
    return { state: 'down', reason: `no update for ${ageText}` };
  if (age > staleAfterMs)
    return {
      state: 'stale',
      reason: `no update for ${ageText} (stale after ${describeAge(staleAfterMs)})`,
    };
  return { state: 'live', reason: `updated ${ageText} ago` };
}

/** `850 ms`, `12 s`, `3 min 5 s`, `2 h 4 min`, `3 d 2 h`. */
export function describeAge(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return s % 60 ? `${m} min ${s % 60} s` : `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 48) return m % 60 ? `${h} h ${m % 60} min` : `${h} h`;
  const d = Math.floor(h / 24);
  return h % 24 ? `${d} d ${h % 24} h` : `${d} d`;
}
