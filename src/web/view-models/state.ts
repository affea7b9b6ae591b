import type { Snapshot } from '../../reader/types.js';
import type { ViewContext } from '../types.js';
import { formatBytesForView, MISSING, timeView } from './format.js';

/** Longer values scroll inside their box; beyond this they are cut (the API has them whole). */
const PREVIEW_CHARS = 20_000;

/** `/state`: every raw key, its value, its age, and what is wrong with it. */
export function stateModel(s: Snapshot, ctx: ViewContext) {
  return {
    keys: s.keys.map((k) => {
      const text = k.value !== null ? JSON.stringify(k.value, null, 2) : (k.raw ?? '');
      return {
        key: k.key,
        preview:
          text.length > PREVIEW_CHARS
            ? `${text.slice(0, PREVIEW_CHARS)}… (${formatBytesForView(k.bytes)})`
            : text || MISSING,
        updatedAt: k.updatedAt,
        time: timeView(k.updatedAtMs, ctx.nowMs, ctx.timeZone, ctx.hour12),
        error: k.error,
      };
    }),
    errors: s.keys.filter((k) => k.error !== null).length,
    schemaVersion: s.schemaVersion === null ? MISSING : String(s.schemaVersion),
    path: s.path,
  };
}
