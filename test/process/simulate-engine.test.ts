import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { finished, spawnTs } from '../helpers/spawn.js';
import { freshDbPath } from '../helpers/tmp.js';
import { readEvents, readStatus } from '../helpers/writer.js';

type ChartFields = {
  unrealized_pnl?: number | null;
  quote_currency?: string;
  contract_size?: number;
};

function chartValues(status: ReturnType<typeof readStatus>): Record<string, ChartFields> {
  return Object.fromEntries(
    Object.entries(status)
      .filter(([key]) => key.startsWith('chart_'))
      .map(([key, row]) => [key, row.value as ChartFields]),
  );
}

function query<T>(db: string, sql: string, ...args: unknown[]): T[] {
  const conn = new Database(db, { readonly: true });
  try {
    return conn.prepare(sql).all(...args) as T[];
  } finally {
    conn.close();
  }
}

const maxEventId = (db: string) =>
  query<{ id: number }>(db, 'SELECT max(id) AS id FROM live_events')[0]?.id ?? 0;
const tradesAfter = (db: string, id: number) =>
  query<{ data: string }>(
    db,
    "SELECT data FROM live_events WHERE type = 'trade' AND id > ?",
    id,
  ).map((r) => JSON.parse(r.data) as { pnl: number });
const noteMessages = (db: string, id: number) =>
  query<{ data: string }>(
    db,
    "SELECT data FROM live_events WHERE type = 'note' AND id > ? ORDER BY id",
    id,
  ).map((r) => (JSON.parse(r.data) as { message: string }).message);

describe('demo engine (real process)', () => {
  it('writes every kind of state through the public writer, and its log files', async () => {
    const db = freshDbPath('demo.db');
    const result = await finished(
      spawnTs('scripts/simulate-engine.ts', [
        '--db',
        db,
        '--symbols',
        'EURUSD,US500,BTCUSD',
        '--interval-ms',
        '20',
        '--duration',
        '2s',
        '--seed',
        '3',
        '--quiet',
      ]),
    );
    expect(result).toMatchObject({ code: 0, stderr: '' });
    const status = readStatus(db);
    expect(Object.keys(status).sort()).toEqual([
      'broker',
      'chart_BTCUSD',
      'chart_EURUSD',
      'chart_US500',
      'engine',
      'summary',
    ]);
    expect(status.engine?.value).toMatchObject({ status: 'stopped', mode: 'paper' });
    expect(status.summary?.value).toMatchObject({
      currency: 'USD',
      cash: expect.any(Number),
      value: expect.any(Number),
    });
    // Open positions carry their opening time; closed trades their exit reason.
    const charts = ['chart_BTCUSD', 'chart_EURUSD', 'chart_US500'].map(
      (k) => status[k]?.value as { position_size: number; position_opened_at: string | null },
    );
    for (const c of charts) {
      if (c.position_size === 0) expect(c.position_opened_at).toBeNull();
      else expect(c.position_opened_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    }
    const trades = readEvents(db).filter((e) => e.type === 'trade');
    expect(trades.length + charts.filter((c) => c.position_size !== 0).length).toBeGreaterThan(0);
    for (const t of trades)
      expect(['signal', 'stop-loss', 'take-profit']).toContain(t.data.exit_reason);
    const eurusd = status.chart_EURUSD?.value as { price: number } | undefined;
    expect(String(eurusd?.price)).toMatch(/^1\.\d{1,5}$/);
    for (const name of ['trading', 'system'])
      expect(existsSync(join(db, '..', 'logs', `${name}.log`))).toBe(true);
    expect(readFileSync(join(db, '..', 'logs', 'system.log'), 'utf8')).toMatch(
      / - INFO - engine started pid=\d+/,
    );
  });

  it('resumes its account from its own file after a restart instead of starting at 100,000 again, with equity − cash equal to its open P&L', async () => {
    const db = freshDbPath('demo.db');
    const run = (seed: string) =>
      finished(
        spawnTs('scripts/simulate-engine.ts', [
          ...['--db', db, '--symbols', 'EURUSD,USDJPY,BTCUSD', '--interval-ms', '10'],
          ...['--duration', '1500ms', '--seed', seed, '--quiet'],
        ]),
      );
    expect(await run('5')).toMatchObject({ code: 0, stderr: '' });
    const before = readStatus(db);
    const cashBefore = (before.summary?.value as { cash: number } | undefined)?.cash ?? Number.NaN;
    expect(cashBefore).not.toBe(100_000); // the first run traded, so a reset would show
    const lastId = maxEventId(db);
    expect(await run('6')).toMatchObject({ code: 0, stderr: '' });
    const after = readStatus(db);
    const summary = (after.summary?.value ?? {}) as { cash: number; value: number };
    const newTrades = tradesAfter(db, lastId);
    // Cash carried over: what it was, plus exactly the trades closed since.
    const realised = newTrades.reduce((sum, t) => sum + t.pnl, 0);
    expect(summary.cash).toBeCloseTo(cashBefore + realised, 1);
    expect(noteMessages(db, lastId)[0]).toMatch(/^demo engine resumed with 3 symbols, cash /);
    // equity − cash = the sum of the positions' unrealized_pnl (account currency), to the cent.
    const open = Object.values(chartValues(after)).reduce(
      (sum, v) => sum + (v.unrealized_pnl ?? 0),
      0,
    );
    expect(Math.abs(summary.value - summary.cash - open)).toBeLessThan(0.05);
    for (const v of Object.values(chartValues(after)))
      expect(v).toMatchObject({
        quote_currency: expect.stringMatching(/^(USD|JPY)$/),
        contract_size: 1,
      });
  });

  it('exits with code 2 and names the flag for a bad value', async () => {
    const result = await finished(spawnTs('scripts/simulate-engine.ts', ['--interval-ms', '1']));
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^simulate-engine: --interval-ms must be a whole number >= 10/);
  });
});
