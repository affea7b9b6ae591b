const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * Parses a duration: a number with a unit (`250ms`, `30s`, `5m`, `24h`, `7d`) or a bare
 * number in `defaultUnit`. Returns milliseconds, or null when the text is not a duration.
 *
 * @example parseDuration('5m') // → 300000
 */
export function parseDuration(text: string, defaultUnit: keyof typeof UNITS = 's'): number | null {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$/.exec(text);
  if (!match) return null;
  const value = Number(match[1]) * (UNITS[match[2] ?? defaultUnit] ?? Number.NaN);
  return Number.isFinite(value) ? Math.round(value) : null;
}
