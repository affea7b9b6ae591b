import { describe, expect, it } from 'vitest';
import {
  type FleetEntry,
  fleetSort,
  fleetTotals,
  sortFleet,
} from '../../src/web/view-models/fleet.js';

function entry(name: string, over: Partial<FleetEntry> = {}): FleetEntry {
  return {
    name,
    state: 'live',
    reason: '',
    lastUpdateMs: 0,
    heartbeatMs: 0,
    mode: null,
    equity: 1000,
    currency: 'USD',
    todayPnl: 10,
    openPositions: 0,
    firing: { INFO: 0, WARNING: 0, ERROR: 0, CRITICAL: 0 },
    ...over,
  };
}

describe('fleet view-model', () => {
  it('never adds amounts across currencies, and totals engines without a currency apart', () => {
    const totals = fleetTotals([
      entry('a'),
      entry('b', { equity: 500, todayPnl: -5 }),
      entry('c', { currency: 'EUR', equity: 200, todayPnl: 1 }),
      entry('d', { currency: null, equity: 7, todayPnl: null }),
      entry('e', { equity: null, todayPnl: null }), // writes no summary: left out
    ]);
    expect(totals).toEqual([
      { currency: 'EUR', equity: 200, todayPnl: 1, engines: 1 },
      { currency: 'USD', equity: 1500, todayPnl: 5, engines: 2 },
      { currency: null, equity: 7, todayPnl: 0, engines: 1 },
    ]);
  });

  it('puts down, error, stale and waiting engines before live ones, more firing alerts first, then by name', () => {
    const critical = { INFO: 0, WARNING: 0, ERROR: 0, CRITICAL: 2 };
    const order = sortFleet(
      [
        entry('live-b'),
        entry('live-a'),
        entry('live-alerting', { firing: critical }),
        entry('waiting', { state: 'waiting' }),
        entry('stale', { state: 'stale' }),
        entry('error', { state: 'error' }),
        entry('down', { state: 'down' }),
      ],
      'state',
    ).map((e) => e.name);
    expect(order).toEqual([
      'down',
      'error',
      'stale',
      'waiting',
      'live-alerting',
      'live-a',
      'live-b',
    ]);
  });

  it('sorts by equity and P&L with missing figures last', () => {
    const entries = [
      entry('none', { equity: null, todayPnl: null }),
      entry('big', { equity: 9e6 }),
      entry('small'),
    ];
    expect(sortFleet(entries, 'equity').map((e) => e.name)).toEqual(['big', 'small', 'none']);
    expect(sortFleet(entries, 'pnl').map((e) => e.name)).toEqual(['big', 'small', 'none']);
  });

  it('reads ?sort=, defaulting to state and refusing anything else with the known orders', () => {
    expect(fleetSort(undefined)).toBe('state');
    expect(fleetSort('equity')).toBe('equity');
    expect(() => fleetSort('toString')).toThrow(/state, name, equity, pnl, alerts/);
    expect(() => fleetSort(['name', 'state'])).toThrow(/unknown sort/);
  });
});
