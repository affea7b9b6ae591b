import type { EngineView } from '../types.js';
import type { Badges } from './sse.js';

/** Worst first, as on the page: the favicon shows the state of the engine that most needs a look. */
const WORST: readonly string[] = ['down', 'error', 'stale', 'waiting', 'live'];

/**
 * The title, favicon state and badges of /fleet: how many engines are not live (`⚠ 2 NOT LIVE`),
 * else how many positions are open across the fleet.
 *
 * @example fleetMeta(engines.list(), { alerts: 0, logErrors: 0 }).title // "⚠ 1 NOT LIVE · fleet · tradewatch"
 */
export function fleetMeta(engines: readonly EngineView[], badges: Badges) {
  const snapshots = engines.map((e) => e.snapshot);
  const notLive = snapshots.filter((s) => s.state !== 'live').length;
  const positions = snapshots.reduce((n, s) => n + s.positions.length, 0);
  const state =
    WORST.find((w) => snapshots.some((s) => s.state === w)) ??
    (snapshots.length ? 'live' : 'waiting');
  const prefix = notLive ? `⚠ ${notLive} NOT LIVE · ` : positions ? `(${positions}) ` : '';
  return { title: `${prefix}fleet · tradewatch`, state, positions, ...badges };
}
