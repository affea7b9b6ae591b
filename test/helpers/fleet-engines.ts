import { utimesSync } from 'node:fs';
import { join } from 'node:path';
import { StateWriter } from '../../src/state/index.js';
import { writePythonDesignDb } from './engine-files.js';
import { freshDbPath } from './tmp.js';

/**
 * Three engine files in three states for /fleet: `alpha` live (USD, one open position, a trade
 * today, one ERROR alert raised), `bravo` stale (last write two minutes ago, file time included, EUR), `charlie` down (its heartbeat says
 * "stopped", USD). Watch them with stale-after 60 s.
 */
export function threeEngines(
  options: { dir?: string; hostileMode?: string } = {},
): Array<{ name: string; path: string }> {
  const where = (file: string) => (options.dir ? join(options.dir, file) : freshDbPath(file));
  const alpha = where('alpha.db');
  const live = StateWriter.open(alpha, { strict: true });
  live.summary({ cash: 9_000, value: 10_100, currency: 'USD' });
  live.symbol('EURUSD', { price: 1.1, position_size: 1000, position_price: 1.0 });
  live.heartbeat({ mode: 'live' });
  live.recordTrade({ symbol: 'EURUSD', side: 'long', qty: 1000, pnl: 25, exit_time: Date.now() });
  live.event('alert', 'ERROR', 'margin call on <b>EURUSD</b>', { key: 'margin' });
  live.close();

  const bravo = where('bravo.db');
  const twoMinutesAgo = new Date(Date.now() - 120_000).toISOString();
  writePythonDesignDb(
    bravo,
    {
      summary: '{"cash": 5000, "value": 5200.5, "currency": "EUR", "daily_pnl": -42.25}',
      engine: JSON.stringify({ status: 'running', mode: options.hostileMode ?? 'paper' }),
    },
    twoMinutesAgo,
  );
  // Liveness is the dashboard's own clock: a file first seen is as old as its modification time.
  const then = new Date(Date.now() - 120_000);
  utimesSync(bravo, then, then);

  const charlie = where('charlie.db');
  const down = StateWriter.open(charlie, { strict: true });
  down.summary({ cash: 2_000, value: 2_000, currency: 'USD' });
  down.heartbeat({ status: 'stopped', mode: 'live' });
  down.close();

  return [
    { name: 'alpha', path: alpha },
    { name: 'bravo', path: bravo },
    { name: 'charlie', path: charlie },
  ];
}
