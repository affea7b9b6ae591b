import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { HistoryStore } from '../../src/monitor/history.js';
import { EnginePoller } from '../../src/reader/poller.js';
import { StateWriter } from '../../src/state/index.js';
import { createMemo } from '../../src/web/live/memo.js';
import {
  formatPrice,
  pricePrecision,
  relativeAge,
  signedMoney,
  signedPercent,
} from '../../src/web/view-models/format.js';
import { accountModel, statsModel, watchRows } from '../../src/web/view-models/live.js';
import { dailyPnl, drawdown } from '../../src/web/view-models/performance.js';
import { positionRows } from '../../src/web/view-models/positions.js';
import { monitorOver } from '../helpers/monitor.js';
import { freshDbPath } from '../helpers/tmp.js';

function context(history = new HistoryStore(new Database(':memory:'), 'UTC', 86_400_000)) {
  const { monitor } = monitorOver(new Database(':memory:'));
  return {
    nowMs: Date.now(),
    timeZone: 'UTC',
    engineNames: ['main'],
    engines: () => [],
    history,
    monitor,
    memo: createMemo(),
  };
}

function snapshotOf(write: (w: StateWriter) => void) {
  const path = freshDbPath();
  const writer = StateWriter.open(path, { onError: () => {} }); // some tests write bad values on purpose
  write(writer);
  writer.close();
  return new EnginePoller({
    name: 'main',
    path,
    pollMs: 1000,
    staleAfterMs: 30_000,
    timeZone: 'UTC',
  }).tick();
}

/** Every string in a view-model, flattened. */
function texts(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(texts);
  if (value && typeof value === 'object') return Object.values(value).flatMap(texts);
  return [];
}

describe('formatting', () => {
  it('signs, tones and icons money and percentages, colour-blind safe', () => {
    expect(signedMoney(1234.5, 'USD')).toEqual({ text: '+1,234.50 USD', tone: 'up', icon: '▲' });
    expect(signedMoney(-3, 'JPY')).toEqual({ text: '−3.00 JPY', tone: 'down', icon: '▼' });
    expect(signedMoney(-0.004, 'USD')).toEqual({ text: '0.00 USD', tone: 'flat', icon: '' });
    expect(signedPercent(Number.NaN)).toEqual({ text: '—', tone: 'none', icon: '' });
    expect(signedMoney(null, 'USD').text).toBe('—');
  });

  it('derives price precision from the quotes and their scale', () => {
    expect(pricePrecision(1.08421)).toBe(5);
    expect(pricePrecision(1.084)).toBe(4); // a quote ending in 0 keeps FX-like precision
    expect(pricePrecision(147.123)).toBe(3);
    expect(pricePrecision(65000.5)).toBe(2);
    expect(formatPrice(1.0842, pricePrecision(1.08421, 1.0842))).toBe('1.08420');
    expect(formatPrice(Number.POSITIVE_INFINITY, 2)).toBe('—');
  });

  it('describes ages', () => {
    expect(relativeAge(500)).toBe('just now');
    expect(relativeAge(12_000)).toBe('12 s ago');
    expect(relativeAge(3 * 3600_000)).toBe('3 h ago');
  });
});

describe('live view-models', () => {
  it('show "—" for missing fields, never undefined or NaN', () => {
    const s = snapshotOf((w) => {
      w.update('summary', { cash: 'lots', value: null });
      w.symbol('HALF', { position_size: 3 });
      w.symbol('EMPTY', {});
      w.update('chart_BAD', [1] as unknown as object);
    });
    const ctx = context();
    const models = [accountModel(s, ctx), positionRows(s, ctx), watchRows(s, ctx), statsModel(s)];
    for (const text of texts(models)) expect(text).not.toMatch(/undefined|NaN|null|Infinity/);
    expect(positionRows(s, ctx)[0]).toMatchObject({
      symbol: 'HALF',
      side: 'Long',
      entry: '—',
      current: '—',
      pnl: { text: '—' },
    });
  });

  it("computes the change since the day's first sample and the drawdown from the day's high", () => {
    const history = new HistoryStore(new Database(':memory:'), 'UTC', 86_400_000);
    const first = snapshotOf((w) => {
      w.summary({ value: 1000, currency: 'USD' });
      w.symbol('EURUSD', { price: 1.0, position_size: 0, rsi14: 40 });
    });
    history.record(first, Date.now() - 5000);
    const later = snapshotOf((w) => {
      w.summary({ value: 900, currency: 'USD' });
      w.symbol('EURUSD', { price: 1.1, position_size: 0, rsi14: 65.25 });
    });
    const ctx = context(history);
    expect(watchRows(later, ctx)[0]).toMatchObject({
      symbol: 'EURUSD',
      price: '1.1000',
      change: { text: '+10.00 %', tone: 'up' },
      rsi: '65.3',
    });
    expect(accountModel(later, ctx).drawdown).toEqual({
      text: '−10.00 %',
      tone: 'down',
      icon: '▼',
    });
  });
});

describe('performance', () => {
  const trade = (day: string, pnl: number, id: number) => ({
    id,
    symbol: 'X',
    side: 'long',
    qty: 1,
    entryPrice: 1,
    exitPrice: 1,
    entryTime: null,
    exitTimeMs: Date.parse(`${day}T12:00:00Z`),
    pnl,
    exitReason: null,
  });

  it('sums realised P&L per local day', () => {
    const trades = [
      trade('2025-08-01', 10, 1),
      trade('2025-08-01', -4, 2),
      trade('2025-08-03', 7.5, 3),
    ];
    expect(dailyPnl(trades, 'UTC')).toEqual([
      { day: '2025-08-01', pnl: 6, trades: 2 },
      { day: '2025-08-03', pnl: 7.5, trades: 1 },
    ]);
    // 12:00 UTC is already the next day in Auckland.
    expect(dailyPnl(trades, 'Pacific/Auckland').map((d) => d.day)).toEqual([
      '2025-08-02',
      '2025-08-04',
    ]);
  });

  it('measures maximum and current drawdown', () => {
    const points: Array<[number, number]> = [
      [1, 100],
      [2, 120],
      [3, 90],
      [4, 110],
      [5, 115],
    ];
    const dd = drawdown(points);
    expect(dd.maxPct).toBeCloseTo(-25, 9);
    expect(dd.currentPct).toBeCloseTo((115 - 120) / 1.2, 9);
    expect(drawdown([])).toEqual({ maxPct: null, currentPct: null });
  });
});

describe('money in the right currency', () => {
  it('shows a JPY P&L without a rate in JPY, marked and left out of the USD Unrealised card', () => {
    const s = snapshotOf((w) => {
      w.summary({ cash: 100_000, value: 100_000, currency: 'USD' });
      w.symbol('USDJPY', {
        price: 146,
        position_size: 100_000,
        position_price: 147,
        quote_currency: 'JPY',
      });
      w.symbol('EURUSD', { price: 1.085, position_size: 100_000, position_price: 1.084 });
    });
    const rows = positionRows(s, context());
    const jpy = rows.find((r) => r.symbol === 'USDJPY');
    expect(jpy?.pnl).toMatchObject({ text: '−100,000.00 JPY', tone: 'down' });
    expect(jpy?.pnl.note).toMatch(/^in JPY: no quote_to_account_rate/);
    expect(rows.find((r) => r.symbol === 'EURUSD')?.pnl).toMatchObject({
      text: '+100.00 USD',
      note: null,
    });
    const account = accountModel(s, context());
    expect(account.unrealized.text).toBe('+100.00 USD');
    expect(account.unrealizedNote).toBe('1 position in another currency not included');
  });

  it("takes the engine's unrealized_pnl as account currency even for a JPY-quoted symbol", () => {
    const s = snapshotOf((w) => {
      w.summary({ cash: 100_000, value: 99_320, currency: 'USD' });
      w.symbol('USDJPY', {
        price: 146,
        position_size: 100_000,
        position_price: 147,
        quote_currency: 'JPY',
        unrealized_pnl: -684.93,
      });
    });
    expect(positionRows(s, context())[0]?.pnl).toMatchObject({ text: '−684.93 USD', note: null });
    expect(accountModel(s, context()).unrealizedNote).toBeNull();
  });
});
