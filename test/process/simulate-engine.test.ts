import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { finished, spawnTs } from '../helpers/spawn.js';
import { freshDbPath } from '../helpers/tmp.js';
import { readEvents, readStatus } from '../helpers/writer.js';

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

  it('exits with code 2 and names the flag for a bad value', async () => {
    const result = await finished(spawnTs('scripts/simulate-engine.ts', ['--interval-ms', '1']));
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^simulate-engine: --interval-ms must be a whole number >= 10/);
  });
});
