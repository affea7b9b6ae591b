/**
 * The deepest nesting of arrays and objects a value may have: the writer refuses deeper values
 * and the reader reports them as that key's error. Everything that walks a value (rendering,
 * `JSON.stringify`, the writer's checks) recurses, and 4,500 levels exhaust Node's stack; 64 is
 * far beyond any engine's state and far below any stack.
 */
export const MAX_JSON_DEPTH = 64;

/**
 * Whether JSON text nests arrays and objects deeper than `limit`. Text with no more than `limit`
 * brackets cannot, and counting them is a few native `indexOf` calls for a typical value; only
 * text with more is measured (about a third of what `JSON.parse` costs). Never recurses.
 *
 * @example
 * nestsDeeperThan('[[[1]]]', 2) // → true
 */
export function nestsDeeperThan(text: string, limit = MAX_JSON_DEPTH): boolean {
  let openers = 0;
  for (const bracket of ['{', '[']) {
    for (let i = text.indexOf(bracket); i !== -1; i = text.indexOf(bracket, i + 1)) {
      if (++openers > limit) return jsonDepth(text, limit) > limit;
    }
  }
  return false;
}

/**
 * The nesting depth of JSON text (brackets outside strings), counting no further than `limit + 1`.
 * Iterative, so any text is safe to measure.
 *
 * @example
 * jsonDepth('{"a": [1, {"b": 2}]}') // → 3
 */
export function jsonDepth(text: string, limit = MAX_JSON_DEPTH): number {
  let depth = 0;
  let deepest = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 0x22 /* " */) {
      i = closingQuote(text, i);
      if (i === -1) break;
    } else if (ch === 0x7b /* { */ || ch === 0x5b /* [ */) {
      depth++;
      if (depth > deepest) {
        deepest = depth;
        if (deepest > limit) break;
      }
    } else if (ch === 0x7d /* } */ || ch === 0x5d /* ] */) depth--;
  }
  return deepest;
}

/** The index of the quote that ends the string opened at `open`, or -1 (unterminated). */
function closingQuote(text: string, open: number): number {
  for (let at = text.indexOf('"', open + 1); at !== -1; at = text.indexOf('"', at + 1)) {
    let backslashes = 0;
    while (text.charCodeAt(at - 1 - backslashes) === 0x5c /* \ */) backslashes++;
    if (backslashes % 2 === 0) return at;
  }
  return -1;
}
