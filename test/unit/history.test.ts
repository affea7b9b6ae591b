import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HistoryStore } from '../../src/monitor/history.js';
import { openSidecar } from '../../src/monitor/sidecar.js';
import type { Snapshot } from '../../src/reader/types.js';
import { tempDir } from '../helpers/tmp.js';

/** The parts of a snapshot the history store reads. */
function snap(equity: number, price: number, rsi = 50): Snapshot {
  return {
    engine: 'main',
    summary: { equity, cash: 100 },
    symbols: [{ symbol: 'EURUSD', price, positionSize: 1, indicators: { rsi14: rsi } }],
    builtAtMs: Date.now(),
  } as unknown as Snapshot;
}

describe('HistoryStore', () => {
  const dir = tempDir();

  it('samples equity, cash, price, position and indicators, at most once a second per changed series', () => {
    const history = new HistoryStore(
      openSidecar(dir, 'h1.db', () => {}),
      'UTC',
      86_400_000,
    );
    const t0 = Date.now() - 10_000;
    expect(history.record(snap(1000, 1.1), t0).map(([s]) => s)).toEqual([
      'equity',
      'cash',
      'price:EURUSD',
      'position:EURUSD',
      'ind:EURUSD:rsi14',
    ]);
    expect(history.record(snap(1001, 1.2), t0 + 200)).toEqual([]); // too soon
    expect(history.record(snap(1002, 1.2), t0 + 1200).map(([s]) => s)).toEqual([
      'equity',
      'price:EURUSD',
    ]); // only what changed
    expect(history.points('main', 'equity', t0 - 1)).toEqual([
      [t0, 1000],
      [t0 + 1200, 1002],
    ]);
    expect(history.seriesNames('main', 'ind:')).toEqual(['ind:EURUSD:rsi14']);
  });

  it('downsamples to at most the asked number of points', () => {
    const history = new HistoryStore(
      openSidecar(dir, 'h2.db', () => {}),
      'UTC',
      86_400_000,
    );
    const start = Date.now() - 3_000_000;
    for (let i = 0; i < 3000; i++) history.record(snap(i, 1), start + i * 1000);
    const points = history.points('main', 'equity', start, 100);
    expect(points.length).toBeLessThanOrEqual(101);
    expect(points.length).toBeGreaterThan(90);
  });

  it('prunes by retention and survives a restart', () => {
    const first = new HistoryStore(
      openSidecar(dir, 'h3.db', () => {}),
      'UTC',
      60_000,
    );
    first.record(snap(1, 1), Date.now() - 120_000);
    first.record(snap(2, 2), Date.now() - 1000);
    expect(first.prune()).toBe(5);
    const reopened = new HistoryStore(
      openSidecar(dir, 'h3.db', () => {}),
      'UTC',
      60_000,
    );
    expect(reopened.points('main', 'equity', 0).map(([, v]) => v)).toEqual([2]);
  });

  it('moves a corrupt sidecar aside, warns, and starts a new one', () => {
    writeFileSync(join(dir, 'bad.db'), 'garbage '.repeat(1000));
    const warnings: string[] = [];
    const db = openSidecar(dir, 'bad.db', (m) => warnings.push(m));
    const history = new HistoryStore(db, 'UTC', 60_000);
    expect(history.record(snap(1, 1)).length).toBe(5);
    expect(warnings).toEqual([expect.stringMatching(/unreadable .* moved to .*bad\.db\.corrupt-/)]);
  });
});

describe('HistoryStore.points on young series', () => {
  const dir = tempDir();
  it('keeps every sample of a series younger than the window instead of one wide bucket', () => {
    const history = new HistoryStore(
      openSidecar(dir, 'young.db', () => {}),
      'UTC',
      86_400_000,
    );
    const now = Date.now();
    for (let i = 40; i > 0; i--) history.record(snap(1000 + i, 1), now - i * 1000);
    expect(history.points('main', 'equity', now - 86_400_000, 1000, now)).toHaveLength(40);
  });
});
