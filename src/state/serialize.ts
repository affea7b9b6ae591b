import { MAX_JSON_DEPTH, nestsDeeperThan } from '../contract/index.js';
import { StateWriterError } from './errors.js';

export const MAX_KEY_LENGTH = 256;
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what we reject.
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;

/** Null when `key` is a valid `live_status` key, else the reason. */
export function checkKey(key: unknown): StateWriterError | null {
  if (typeof key !== 'string' || key.length === 0) {
    return new StateWriterError('invalid-key', 'key must be a non-empty string');
  }
  if (key.length > MAX_KEY_LENGTH) {
    return new StateWriterError('invalid-key', `key is longer than ${MAX_KEY_LENGTH} characters`);
  }
  if (CONTROL_CHARACTERS.test(key)) {
    return new StateWriterError('invalid-key', 'key contains control characters');
  }
  return null;
}

/**
 * A value ready to write: its JSON text, plus a warning when it had to be repaired
 * (non-finite numbers written as null, functions dropped).
 */
export type Serialized =
  | { ok: true; json: string; repaired: StateWriterError | null }
  | { ok: false; error: StateWriterError };

/**
 * Serialises a `live_status` value. `JSON.stringify` does the work natively; a walk over the
 * value then finds what it silently changed, so that it can be reported.
 */
export function serializeObject(value: unknown, maxBytes: number): Serialized {
  const notObject = checkObject(value);
  if (notObject) return { ok: false, error: notObject };
  let json: string;
  try {
    json = JSON.stringify(value);
  } catch (error) {
    // Thousands of levels exhaust the stack inside JSON.stringify itself.
    if (error instanceof RangeError) return tooDeep(error);
    const reason = error instanceof Error ? error.message : String(error);
    return fail('not-serialisable', `value is not JSON-serialisable: ${reason}`, error);
  }
  // The reader refuses deeper values (contract MAX_JSON_DEPTH): refuse them here, said here.
  if (nestsDeeperThan(json)) return tooDeep();
  // A UTF-16 string of n units is at most 3n bytes in UTF-8: count bytes only when it matters.
  if (json.length * 3 > maxBytes && Buffer.byteLength(json) > maxBytes) {
    return fail(
      'too-large',
      `value is ${Buffer.byteLength(json)} bytes, over the ${maxBytes} limit`,
    );
  }
  let problem: SilentChange | null;
  try {
    problem = findSilentChange(value, '$');
  } catch (error) {
    // A getter that throws on its second call: JSON.stringify read it once, without error.
    const reason = error instanceof Error ? error.message : String(error);
    return fail('not-serialisable', `value is not JSON-serialisable: ${reason}`, error);
  }
  const repaired = problem ? new StateWriterError(problem.code, problem.message) : null;
  return { ok: true, json, repaired };
}

/** Null when `value` is a plain object (what `live_status` holds), else why not. */
export function checkObject(value: unknown): StateWriterError | null {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) return null;
  const kind = value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value;
  return new StateWriterError('not-object', `value must be a JSON object, got ${kind}`);
}

function tooDeep(cause?: unknown): Serialized {
  return fail(
    'too-deep',
    `value nests deeper than ${MAX_JSON_DEPTH} levels of objects and arrays (readers refuse it)`,
    cause,
  );
}

function fail(code: StateWriterError['code'], message: string, cause?: unknown): Serialized {
  return { ok: false, error: new StateWriterError(code, message, { cause }) };
}

interface SilentChange {
  code: 'non-finite' | 'not-serialisable';
  message: string;
}

/** The first field that `JSON.stringify` turned into null or dropped. Called after it succeeded, so there are no cycles. */
function findSilentChange(value: unknown, path: string): SilentChange | null {
  switch (typeof value) {
    case 'number':
      return Number.isFinite(value)
        ? null
        : { code: 'non-finite', message: `${path} is ${value}; written as null` };
    case 'function':
    case 'symbol':
      return { code: 'not-serialisable', message: `${path} is a ${typeof value}; not written` };
    case 'object': {
      if (value === null) return null;
      if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return null;
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) {
          const found = findSilentChange(value[i], `${path}[${i}]`);
          if (found) return found;
        }
        return null;
      }
      for (const field in value) {
        const found = findSilentChange(
          (value as Record<string, unknown>)[field],
          `${path}.${field}`,
        );
        if (found) return found;
      }
      return null;
    }
    default:
      return null;
  }
}
