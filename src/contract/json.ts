/**
 * Tolerant JSON for values written by foreign engines.
 *
 * Python's `json.dumps` writes the non-standard tokens `NaN`, `Infinity` and `-Infinity` by
 * default. `JSON.parse` rejects the whole value for one such field; we read them instead
 * (`NaN` as null, the infinities as ±Infinity) so one bad number never hides a whole key.
 */

import { MAX_JSON_DEPTH, nestsDeeperThan } from './json-depth.js';

export type ParseResult<T> = { ok: true; value: T } | { ok: false; error: string };

/**
 * Parses JSON text, accepting Python's `NaN`, `Infinity` and `-Infinity` tokens.
 *
 * @example
 * parseTolerantJson('{"pnl": NaN, "dd": -Infinity}')
 * // → { ok: true, value: { pnl: null, dd: -Infinity } }
 *
 * Text nested deeper than `MAX_JSON_DEPTH` is refused (`ok: false`) before it is parsed.
 */
export function parseTolerantJson(text: string): ParseResult<unknown> {
  if (nestsDeeperThan(text))
    return { ok: false, error: `JSON nests deeper than ${MAX_JSON_DEPTH} levels` };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    const rewritten = rewriteNonStandardTokens(text);
    if (rewritten === null) return { ok: false, error: describeJsonError(error) };
    try {
      return { ok: true, value: JSON.parse(rewritten) };
    } catch {
      // Report the error of the text as written, not of our rewrite.
      return { ok: false, error: describeJsonError(error) };
    }
  }
}

function describeJsonError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return `invalid JSON: ${message}`;
}

/** `1e999` is valid JSON that overflows to Infinity: no reviver, no marker strings needed. */
const TOKENS: ReadonlyArray<readonly [token: string, replacement: string]> = [
  ['-Infinity', '-1e999'],
  ['Infinity', '1e999'],
  ['NaN', 'null'],
];

/**
 * Replaces the non-standard tokens that stand outside strings. Returns null when there are
 * none, so that the caller reports the original parse error.
 */
function rewriteNonStandardTokens(text: string): string | null {
  let out = '';
  let copiedUpTo = 0;
  let inString = false;
  let replaced = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (inString) {
      if (ch === 0x5c /* \ */) i++;
      else if (ch === 0x22 /* " */) inString = false;
      continue;
    }
    if (ch === 0x22) {
      inString = true;
      continue;
    }
    for (const [token, replacement] of TOKENS) {
      if (text.startsWith(token, i)) {
        out += text.slice(copiedUpTo, i) + replacement;
        i += token.length - 1;
        copiedUpTo = i + 1;
        replaced = true;
        break;
      }
    }
  }
  return replaced ? out + text.slice(copiedUpTo) : null;
}

/** True for a plain JSON object (not null, not an array). */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
