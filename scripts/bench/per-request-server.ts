/**
 * The original design's approach, for comparison in `bench:dashboard`: every request to
 * /api/live/status queries SQLite and builds the answer. `fresh` opens a connection per request
 * exactly as the original DataProvider did; `persistent` keeps one connection (a kinder baseline).
 * Prints its port on stdout.
 */
import type { AddressInfo } from 'node:net';
import Database from 'better-sqlite3';
import express from 'express';

const [path, mode = 'fresh'] = process.argv.slice(2);
if (!path) throw new Error('usage: per-request-server <db> [fresh|persistent]');
const shared = mode === 'persistent' ? new Database(path, { readonly: true }) : null;

function getStatus() {
  const db = shared ?? new Database(path as string, { readonly: true });
  try {
    const rows = db.prepare('SELECT key, value FROM live_status').all() as Array<{
      key: string;
      value: string;
    }>;
    const status: { summary: unknown; positions: unknown[] } = { summary: {}, positions: [] };
    for (const { key, value } of rows) {
      const data = JSON.parse(value);
      if (key === 'summary') status.summary = data;
      else if (key.startsWith('chart_') && (data.position_size ?? 0) !== 0) {
        status.positions.push({
          symbol: key.slice(6),
          side: data.position_size > 0 ? 'Long' : 'Short',
          quantity: data.position_size,
          entry_price: data.position_price,
          current_price: data.price,
        });
      }
    }
    return status;
  } finally {
    if (!shared) db.close();
  }
}

const app = express();
app.get('/api/live/status', (_req, res) => {
  res.json(getStatus());
});
const server = app.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${(server.address() as AddressInfo).port}\n`);
});
