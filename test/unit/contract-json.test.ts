import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  isJsonObject,
  jsonDepth,
  MAX_JSON_DEPTH,
  nestsDeeperThan,
  parseTolerantJson,
} from '../../src/contract/index.js';

describe('parseTolerantJson', () => {
  it('parses standard JSON unchanged', () => {
    expect(parseTolerantJson('{"a":1,"b":[true,null,"x"]}')).toEqual({
      ok: true,
      value: { a: 1, b: [true, null, 'x'] },
    });
  });

  it("reads Python's NaN as null and the infinities as ±Infinity", () => {
    const result = parseTolerantJson(
      '{"pnl": NaN, "up": Infinity, "down": -Infinity, "list": [NaN, 1]}',
    );
    expect(result).toEqual({
      ok: true,
      value: {
        pnl: null,
        up: Number.POSITIVE_INFINITY,
        down: Number.NEGATIVE_INFINITY,
        list: [null, 1],
      },
    });
  });

  it('leaves the same words inside strings alone', () => {
    const result = parseTolerantJson('{"note": "NaN and -Infinity \\" NaN", "x": NaN}');
    expect(result).toEqual({ ok: true, value: { note: 'NaN and -Infinity " NaN', x: null } });
  });

  it('reports malformed JSON with the parser message', () => {
    const result = parseTolerantJson('{"price": 1.2,');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatch(/^invalid JSON: /);
  });

  it('reports malformed JSON that also contains NaN', () => {
    expect(parseTolerantJson('{"a": NaN,,}').ok).toBe(false);
  });

  it('does not turn a string holding the marker into Infinity', () => {
    const result = parseTolerantJson('{"s": "\\u0000+Infinity", "x": NaN}');
    expect(result).toEqual({ ok: true, value: { s: '\u0000+Infinity', x: null } });
  });

  it('tells objects from other JSON values', () => {
    expect(isJsonObject({})).toBe(true);
    expect(isJsonObject([])).toBe(false);
    expect(isJsonObject(null)).toBe(false);
    expect(isJsonObject(3)).toBe(false);
  });
});

describe('the JSON depth limit', () => {
  const nested = (depth: number) => `${'{"a":['.repeat(depth / 2)}1${']}'.repeat(depth / 2)}`;

  it('reads a value exactly at the limit and refuses one level more, naming the limit', () => {
    expect(MAX_JSON_DEPTH).toBe(64);
    expect(parseTolerantJson(nested(64)).ok).toBe(true);
    expect(parseTolerantJson(nested(66))).toEqual({
      ok: false,
      error: 'JSON nests deeper than 64 levels',
    });
  });

  it('measures 4,500 and 1,000,000 levels without recursion, and ignores brackets inside strings', () => {
    expect(jsonDepth(nested(4500))).toBe(65); // stops counting past the limit
    expect(jsonDepth('['.repeat(1_000_000), 2_000_000)).toBe(1_000_000);
    expect(jsonDepth('{"a": "[[[[\\"[[[", "b": [1]}')).toBe(2);
    expect(jsonDepth('{"a\\\\": [[1]], "b": "\\\\"}')).toBe(3); // an escaped backslash ends no string
  });

  it('measures the depth JSON.parse sees, for any JSON value (fast-check)', () => {
    const depthOf = (v: unknown): number =>
      typeof v === 'object' && v !== null
        ? 1 + Math.max(0, ...Object.values(v as object).map(depthOf))
        : 0;
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 8 }), (value) => {
        const text = JSON.stringify(value);
        expect(jsonDepth(text, 1000)).toBe(depthOf(value));
        expect(nestsDeeperThan(text, 3)).toBe(depthOf(value) > 3);
      }),
      { numRuns: 1000 },
    );
  });

  it('settles text with few brackets without measuring it, and measures text with many', () => {
    expect(nestsDeeperThan('[[[1]]]', 2)).toBe(true);
    expect(nestsDeeperThan('[[1], [2], [3]]', 2)).toBe(false); // 4 brackets, depth 2
    expect(nestsDeeperThan(`{"s": "${'['.repeat(100)}"}`)).toBe(false); // brackets in a string
    expect(nestsDeeperThan('['.repeat(65))).toBe(true);
  });
});
