import { writeFileSync } from 'node:fs';
import { StateWriter } from '../../src/state/index.js';

const SHAPES = [
  { symbol: 'EURUSD', price: 1.08421, digits: 5, qty: 100_000 },
  { symbol: 'USDJPY', price: 147.123, digits: 3, qty: 100_000 },
  { symbol: 'US500', price: 5_612.25, digits: 2, qty: 10 },
  { symbol: 'BTCUSD', price: 65_012.5, digits: 2, qty: 3 },
  { symbol: 'XAUUSD.PRO-2026Q4', price: 2_401.35, digits: 2, qty: 50 },
];

/**
 * An engine database that fills every page: `symbols` instruments (every second one with an open
 * position — wide numbers, long names, SL/TP and opening time), 50 closed trades with exit
 * reasons, an engine alert, and a log file with a very long line. Closes its writer.
 */
export function writeBusyEngine(dbPath: string, logPath: string, symbols: number): void {
  const writer = StateWriter.open(dbPath, { strict: true });
  const now = Date.now();
  writer.summary({ cash: 1_234_567.89, value: 1_250_000.12, currency: 'USD', margin_level: 812 });
  writer.broker({ connected: true, server: 'demo.broker.example:443', account: 'DEMO-1001' });
  writer.heartbeat({ version: '2.14.0-rc.3', mode: 'paper' });
  const entries: Array<[string, object]> = [];
  for (let i = 0; i < symbols; i++) {
    const shape = SHAPES[i % SHAPES.length] as (typeof SHAPES)[number];
    const symbol = i < SHAPES.length ? shape.symbol : `${shape.symbol.slice(0, 6)}${i}`;
    const open = i % 2 === 0;
    const sign = i % 4 === 0 ? 1 : -1;
    const at = (factor: number) => Number((shape.price * factor).toFixed(shape.digits));
    const entry = at(1 - sign * 0.004);
    entries.push([
      `chart_${symbol}`,
      {
        price: shape.price,
        dt: new Date(now).toISOString(),
        position_size: open ? sign * shape.qty : 0,
        position_price: open ? entry : 0,
        sl_price: open ? at(1 - sign * 0.01) : null,
        tp_price: open ? at(1 + sign * 0.02) : null,
        position_opened_at: open ? new Date(now - (i + 1) * 3_700_000).toISOString() : null,
        rsi14: 30 + (i % 40),
        ema20: at(0.999),
      },
    ]);
  }
  writer.updateMany(entries);
  const reasons = ['signal', 'stop-loss', 'take-profit', 'manual close after news'];
  for (let i = 0; i < 50; i++) {
    const shape = SHAPES[i % SHAPES.length] as (typeof SHAPES)[number];
    writer.recordTrade({
      symbol: shape.symbol,
      side: i % 3 === 0 ? 'short' : 'long',
      qty: shape.qty,
      entry_price: shape.price,
      exit_price: Number((shape.price * (1 + (i % 7) / 1000)).toFixed(shape.digits)),
      entry_time: new Date(now - (50 - i) * 3_600_000 - 600_000),
      exit_time: new Date(now - (50 - i) * 3_600_000),
      pnl: (i % 5 === 0 ? -1 : 1) * (1234.56 + i * 997.3),
      exit_reason: reasons[i % reasons.length],
    });
  }
  writer.event('alert', 'ERROR', `margin call risk on ${'a very long account name '.repeat(4)}`);
  writer.close();
  writeFileSync(
    logPath,
    `2026-11-30 10:00:00,123 - INFO - engine started\n2026-11-30 10:00:01,000 - ERROR - ${'x'.repeat(400)}\n`,
  );
}
