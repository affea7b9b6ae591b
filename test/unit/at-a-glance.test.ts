import { describe, expect, it } from 'vitest';
import { apiNumbers } from '../../src/web/api-json.js';
import { formatDuration } from '../../src/web/view-models/format.js';
import { mondayOf, periodPnl } from '../../src/web/view-models/performance.js';
import { exposureModel } from '../../src/web/view-models/positions.js';

describe('at-a-glance figures', () => {
  it('sums realised P&L from Monday and from the first of the month, in the engine zone', () => {
    expect(mondayOf('2026-11-30')).toBe('2026-11-30'); // a Monday
    expect(mondayOf('2026-12-06')).toBe('2026-11-30'); // the Sunday after
    expect(mondayOf('2026-12-02')).toBe('2026-11-30'); // across a month boundary
    const daily = [
      { day: '2026-10-31', pnl: 1000 },
      { day: '2026-11-29', pnl: 100 }, // Sunday: last week, this month
      { day: '2026-11-30', pnl: 10 }, // Monday: this week, this month
      { day: '2026-12-01', pnl: 1 }, // Tuesday: today, this week, a new month
    ];
    const now = Date.parse('2026-12-01T12:00:00Z');
    expect(periodPnl(daily, now, 'UTC')).toEqual({ day: 1, week: 11, month: 1 });
    // 12:00 UTC on 1 December is already the 2nd in Auckland: 1 December is "yesterday" there.
    expect(periodPnl(daily, now, 'Pacific/Auckland')).toEqual({ day: 0, week: 11, month: 1 });
  });

  it('writes how long a position has been open', () => {
    expect(formatDuration(45_000)).toBe('45 s');
    expect(formatDuration(12 * 60_000)).toBe('12 min');
    expect(formatDuration(3 * 3_600_000 + 5 * 60_000)).toBe('3 h 05 min');
    expect(formatDuration(50 * 3_600_000)).toBe('2 d 2 h');
    expect(formatDuration(-1)).toBe('—');
  });

  it('computes leverage only when every position is in the account currency', () => {
    const position = (amount: number, currency: string | null, inAccountCurrency = true) =>
      ({ notional: { amount, currency, inAccountCurrency, source: 'computed' } }) as never;
    const snapshot = (positions: unknown[]) =>
      ({ summary: { currency: 'USD', equity: 10_000 }, positions }) as never;
    expect(
      exposureModel(snapshot([position(15_000, 'USD'), position(5_000, 'USD')])),
    ).toMatchObject({ notional: '20K USD', leverage: '2.00×' });
    const mixed = exposureModel(
      snapshot([position(15_000, 'USD'), position(2_000_000, 'JPY', false)]),
    );
    expect(mixed).toMatchObject({ notional: '15K USD · 2M JPY', leverage: '—' });
    expect(exposureModel(snapshot([]))).toMatchObject({ notional: '—', leverage: '—' });
  });

  it('cuts float noise from API numbers and leaves integers and real digits alone', () => {
    const json = JSON.stringify(
      { pnl: -2099.9999999986585, sum: 0.1 + 0.2, price: 1.08421, t: 1_764_521_234_567, n: 3 },
      apiNumbers,
    );
    expect(JSON.parse(json)).toEqual({
      pnl: -2100,
      sum: 0.3,
      price: 1.08421,
      t: 1_764_521_234_567,
      n: 3,
    });
  });
});
