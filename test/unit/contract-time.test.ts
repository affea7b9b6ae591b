import { describe, expect, it } from 'vitest';
import {
  clockTime,
  isValidTimeZone,
  localDay,
  parseTimestamp,
  startOfLocalDay,
} from '../../src/contract/index.js';

describe('parseTimestamp', () => {
  it("reads Python's naive isoformat with microseconds in the given zone", () => {
    expect(parseTimestamp('2025-08-01T09:30:15.123456', 'Asia/Tokyo')).toBe(
      Date.UTC(2025, 7, 1, 0, 30, 15, 123),
    );
  });

  it('reads naive times as UTC by default', () => {
    expect(parseTimestamp('2025-08-01T09:30:15')).toBe(Date.UTC(2025, 7, 1, 9, 30, 15));
  });

  it('accepts Z, offsets with and without a colon, and a space separator', () => {
    const expected = Date.UTC(2025, 7, 1, 0, 30, 15, 500);
    expect(parseTimestamp('2025-08-01T00:30:15.5Z')).toBe(expected);
    expect(parseTimestamp('2025-08-01T09:30:15.500+09:00')).toBe(expected);
    expect(parseTimestamp('2025-08-01 09:30:15.5+0900')).toBe(expected);
    expect(parseTimestamp('2025-07-31T19:30:15.5-05:00')).toBe(expected);
    expect(parseTimestamp('2025-08-01T05:30:15.5+05')).toBe(expected);
  });

  it('accepts minutes-only and date-only forms', () => {
    expect(parseTimestamp('2025-08-01T09:30', 'UTC')).toBe(Date.UTC(2025, 7, 1, 9, 30));
    expect(parseTimestamp('2025-08-01', 'UTC')).toBe(Date.UTC(2025, 7, 1));
  });

  it('handles daylight saving in the naive zone', () => {
    // New York: EDT (UTC-4) in July, EST (UTC-5) in January.
    expect(parseTimestamp('2025-07-01T12:00:00', 'America/New_York')).toBe(
      Date.UTC(2025, 6, 1, 16),
    );
    expect(parseTimestamp('2025-01-15T12:00:00', 'America/New_York')).toBe(
      Date.UTC(2025, 0, 15, 17),
    );
    // 02:30 on 9 March 2025 does not exist there; it lands one hour on, not an hour early.
    expect(parseTimestamp('2025-03-09T02:30:00', 'America/New_York')).toBe(
      Date.UTC(2025, 2, 9, 7, 30),
    );
  });

  it('rejects what is not a timestamp', () => {
    for (const bad of [
      '',
      'yesterday',
      '2025-13-01T00:00:00',
      '2025-02-30',
      '2025-08-01T25:00',
      '1722500000',
      '2025-08-01T09:30:15+9',
    ]) {
      expect(parseTimestamp(bad), bad).toBeNull();
    }
  });
});

describe('time zones and local days', () => {
  it('validates IANA zone names', () => {
    expect(isValidTimeZone('Europe/London')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus')).toBe(false);
  });

  it('computes the local day and its midnight in a zone', () => {
    const instant = Date.UTC(2025, 7, 1, 20, 0); // 05:00 on 2 August in Tokyo
    expect(localDay(instant, 'Asia/Tokyo')).toBe('2025-08-02');
    expect(localDay(instant, 'UTC')).toBe('2025-08-01');
    expect(startOfLocalDay(instant, 'Asia/Tokyo')).toBe(Date.UTC(2025, 7, 1, 15, 0));
  });
});

describe('clockTime', () => {
  it('reads 24-hour by default and 12-hour when asked, in the given zone', () => {
    const t = Date.UTC(2025, 7, 1, 14, 3, 7);
    expect(clockTime(t, 'UTC')).toBe('14:03:07');
    expect(clockTime(t, 'Asia/Tokyo')).toBe('23:03:07');
    expect(clockTime(t, 'UTC', true)).toMatch(/^2:03:07\s?pm$/i);
  });
});
