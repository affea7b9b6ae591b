import { clockTime } from '../contract/index.js';
import type { ReadProblem } from './engine-db.js';
import type { EngineState, Heartbeat } from './types.js';

/** Heartbeat statuses that mean the engine stopped on purpose. */
const STOPPED_STATUSES = new Set(['stopped', 'exited', 'down', 'shutdown', 'terminated']);
const ERROR_STATUSES = new Set(['error', 'failed', 'crashed', 'fatal']);
/** With no change for this many × stale-after, the engine is taken to be down, not just late. */
export const DOWN_FACTOR = 10;
/** An engine timestamp further ahead of the dashboard's clock than this is a clock warning. */
export const CLOCK_TOLERANCE_MS = 60_000;

export interface StateInput {
  problem: ReadProblem | null;
  hasData: boolean;
  heartbeat: Heartbeat | null;
  /**
   * When the dashboard last saw the engine's file change, on the DASHBOARD's clock (invariant
   * 7): engine timestamps never enter liveness, so a skewed or zone-shifted clock cannot make a
   * silent engine look alive.
   */
  lastChangeMs: number | null;
  nowMs: number;
  staleAfterMs: number;
  /** Zone of the absolute times in the reason (the dashboard's display zone). */
  timeZone: string;
  /** `--clock 12h`: times in the reason read `2:03:07 pm`. */
  hour12?: boolean;
}

/**
 * The engine's state and the sentence that explains it. The sentence carries absolute times
 * ("no change seen since 14:03:07"), never an age, so it stays true for as long as it is shown;
 * pages render ages themselves.
 */
export function engineState(input: StateInput): { state: EngineState; reason: string } {
  const { problem, heartbeat, lastChangeMs, nowMs, staleAfterMs } = input;
  if (problem?.kind === 'waiting') return { state: 'waiting', reason: problem.message };
  if (problem?.kind === 'error') return { state: 'error', reason: problem.message };
  if (!input.hasData || lastChangeMs === null)
    return { state: 'waiting', reason: 'the engine has not written any state yet' };
  const status = heartbeat?.status?.toLowerCase() ?? null;
  const age = Math.max(0, nowMs - lastChangeMs);
  const at = clockTime(lastChangeMs, input.timeZone, input.hour12);
  if (status && ERROR_STATUSES.has(status))
    return { state: 'error', reason: `the engine reports status "${heartbeat?.status}"` };
  if (status && STOPPED_STATUSES.has(status))
    return {
      state: 'down',
      reason: `the engine reported "${heartbeat?.status}" (last change seen at ${at})`,
    };
  if (age > staleAfterMs * DOWN_FACTOR)
    return {
      state: 'down',
      reason: `no change seen since ${at} (down after ${describeAge(staleAfterMs * DOWN_FACTOR)})`,
    };
  if (age > staleAfterMs)
    return {
      state: 'stale',
      reason: `no change seen since ${at} (stale after ${describeAge(staleAfterMs)})`,
    };
  return { state: 'live', reason: `last change seen at ${at}` };
}

/**
 * How far the engine's newest timestamp lay ahead of the dashboard's clock when the dashboard
 * saw it written, beyond CLOCK_TOLERANCE_MS: a naive local time read in the wrong zone, or a
 * skewed clock. Rounded to the minute, so it reads "9 h", not "8 h 59 min". Null when within
 * tolerance (or behind: an old timestamp is normal for a key not written lately).
 */
export function clockSkewMs(newestTimestampMs: number | null, seenAtMs: number): number | null {
  if (newestTimestampMs === null) return null;
  const ahead = newestTimestampMs - seenAtMs;
  return ahead > CLOCK_TOLERANCE_MS ? Math.round(ahead / 60_000) * 60_000 : null;
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

/** The clock warning shown on pages, in /readyz and in the alert; null without skew. */
export function clockWarning(skewMs: number | null, timeZone: string): string | null {
  if (skewMs === null) return null;
  return `the engine's timestamps are ${describeAge(skewMs)} ahead of this dashboard's clock: check the engine host's clock, or its time zone (naive times are read as ${timeZone}, see --tz). Liveness is measured on the dashboard's clock.`;
}
