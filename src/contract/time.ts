/**
 * Tolerant ISO-8601 timestamps.
 *
 * Foreign writers use `datetime.now().isoformat()`: naive local time, often with microseconds
 * (`2025-08-01T09:30:15.123456`). Others write `Z` or an offset. Naive times are read in the
 * engine host's time zone, which the dashboard is told (`--tz`).
 */

const ISO_PATTERN =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;

/**
 * Parses an ISO-8601 timestamp to epoch milliseconds, or null when it is not one.
 *
 * @param text e.g. `2025-08-01T09:30:15.123456`, `2025-08-01T00:30:15Z`, `2025-08-01 09:30+09:00`
 * @param timeZone IANA zone for naive times (no `Z`, no offset); default UTC.
 *
 * @example
 * parseTimestamp('2025-08-01T09:30:15.123456', 'Asia/Tokyo') // → Date.UTC(2025, 7, 1, 0, 30, 15, 123)
 */
export function parseTimestamp(text: string, timeZone = 'UTC'): number | null {
  const m = ISO_PATTERN.exec(text.trim());
  if (!m) return null;
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', zone] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  if (hour > 24 || minute > 59 || second > 60) return null;
  if (hour === 24 && (minute !== 0 || second !== 0)) return null;
  const millis = frac ? Math.floor(Number(`0.${frac}`) * 1000) : 0;
  const wallClock = Date.UTC(year, month - 1, day, hour, minute, second, millis);
  if (zone === undefined) return wallClockToEpoch(wallClock, timeZone);
  if (zone === 'Z' || zone === 'z') return wallClock;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  const offsetMinutes = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || '0');
  return wallClock - sign * offsetMinutes * 60_000;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(year: number, month: number): number {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return month === 2 && leap ? 29 : (DAYS_IN_MONTH[month - 1] ?? 31);
}

/** True when `timeZone` is an IANA zone this runtime knows. */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

/** The host's own IANA time zone. */
export function hostTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/**
 * Epoch ms of a wall-clock time in a zone. A time that exists twice (DST ends) takes the
 * earlier instant; one that does not exist (DST starts) moves forward by the gap — the
 * "compatible" rule of Python's zoneinfo and of Temporal.
 */
export function wallClockToEpoch(wallClockAsUtc: number, timeZone: string): number {
  if (timeZone === 'UTC') return wallClockAsUtc;
  const firstOffset = zoneOffsetMs(wallClockAsUtc, timeZone);
  const firstGuess = wallClockAsUtc - firstOffset;
  const secondOffset = zoneOffsetMs(firstGuess, timeZone);
  if (secondOffset === firstOffset) return firstGuess;
  const secondGuess = wallClockAsUtc - secondOffset;
  if (zoneOffsetMs(secondGuess, timeZone) === secondOffset) return secondGuess;
  return Math.max(firstGuess, secondGuess); // in the gap
}

/** Offsets only change on quarter hours in every real zone, so a 15-minute bucket is exact. */
const OFFSET_BUCKET_MS = 15 * 60_000;
const offsetCache = new Map<string, number>();
const formatters = new Map<string, Intl.DateTimeFormat>();

/**
 * A date-time formatter, created once per purpose and zone and then reused: creating an Intl
 * formatter costs far more than formatting with one.
 */
export function dateTimeFormat(
  purpose: string,
  locale: string,
  options: Intl.DateTimeFormatOptions & { timeZone: string },
): Intl.DateTimeFormat {
  const key = `${purpose}|${locale}|${options.timeZone}`;
  let fmt = formatters.get(key);
  if (!fmt) {
    fmt = new Intl.DateTimeFormat(locale, options);
    formatters.set(key, fmt);
  }
  return fmt;
}

/** The zone's offset from UTC at an instant, in ms (positive east of Greenwich). */
export function zoneOffsetMs(epochMs: number, timeZone: string): number {
  const bucket = Math.floor(epochMs / OFFSET_BUCKET_MS);
  const cacheKey = `${timeZone}|${bucket}`;
  const cached = offsetCache.get(cacheKey);
  if (cached !== undefined) return cached;
  const offset = computeOffset(bucket * OFFSET_BUCKET_MS, timeZone);
  if (offsetCache.size > 10_000) offsetCache.clear();
  offsetCache.set(cacheKey, offset);
  return offset;
}

function computeOffset(epochMs: number, timeZone: string): number {
  const fmt = dateTimeFormat('offset', 'en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  });
  const parts: Record<string, number> = {};
  for (const part of fmt.formatToParts(epochMs)) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  const asUtc = Date.UTC(
    parts.year ?? 1970,
    (parts.month ?? 1) - 1,
    parts.day ?? 1,
    parts.hour ?? 0,
    parts.minute ?? 0,
    parts.second ?? 0,
  );
  // Callers pass a quarter-hour boundary, which has no sub-second part for formatToParts to drop.
  return asUtc - epochMs;
}

/**
 * The local calendar day (`YYYY-MM-DD`) of an instant in a zone: what "today" means for
 * an engine's statistics.
 */
export function localDay(epochMs: number, timeZone: string): string {
  return new Date(epochMs + zoneOffsetMs(epochMs, timeZone)).toISOString().slice(0, 10);
}

/** Epoch ms of local midnight starting the day that contains `epochMs`, in `timeZone`. */
export function startOfLocalDay(epochMs: number, timeZone: string): number {
  const day = localDay(epochMs, timeZone);
  return wallClockToEpoch(Date.parse(`${day}T00:00:00Z`), timeZone);
}

/**
 * `14:03:07` (or `2:03:07 pm` with `hour12`): a time of day in `timeZone`, as every page, chart
 * and server text shows it (`--clock`, 24-hour by default).
 *
 * @example clockTime(Date.UTC(2025, 7, 1, 14, 3, 7), 'UTC') // → '14:03:07'
 */
export function clockTime(epochMs: number, timeZone: string, hour12 = false): string {
  return dateTimeFormat(hour12 ? 'clock12' : 'clock', 'en-GB', {
    timeZone,
    hour: hour12 ? 'numeric' : '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: hour12 ? 'h12' : 'h23',
  }).format(epochMs);
}
