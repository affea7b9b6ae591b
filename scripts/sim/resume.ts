/**
 * The demo engine resumes from its own file, as a real engine resumes from its own records:
 * cash, today's realised P&L and trade count, prices and open positions come back after a
 * restart instead of resetting the account to its starting cash.
 */
import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import type { Instrument } from './market.js';
import type { Portfolio, Position } from './portfolio.js';

type Row = Record<string, unknown>;
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** What an earlier run left in the file. */
export interface ResumeState {
  cash: number | null;
  /** Today's realised P&L (UTC day), from today's trades in the journal. */
  realizedToday: number;
  tradesToday: number;
  prices: Map<string, number>;
  positions: Map<string, Position>;
}

/** Reads the demo's own earlier state (read-only); null when there is no earlier run. */
export function readResumeState(path: string, now: Date): ResumeState | null {
  if (!existsSync(path)) return null;
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const hasTable = (name: string) =>
      db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name);
    if (!hasTable('live_status')) return null;
    const status = new Map<string, Row>();
    for (const row of db.prepare('SELECT key, value FROM live_status').all() as Row[]) {
      try {
        status.set(String(row.key), JSON.parse(String(row.value)) as Row);
      } catch {
        // A value this demo cannot read is not resumed.
      }
    }
    const summary = status.get('summary');
    if (!summary) return null;
    const day = now.toISOString().slice(0, 10);
    let realizedToday = 0;
    let tradesToday = 0;
    if (hasTable('live_events')) {
      const rows = db
        .prepare("SELECT data FROM live_events WHERE type = 'trade' AND ts >= ?")
        .all(day) as Row[];
      for (const row of rows) {
        const pnl = num((JSON.parse(String(row.data)) as Row).pnl);
        if (pnl === null) continue;
        realizedToday += pnl;
        tradesToday++;
      }
    }
    const prices = new Map<string, number>();
    const positions = new Map<string, Position>();
    for (const [key, v] of status) {
      if (!key.startsWith('chart_')) continue;
      const symbol = key.slice('chart_'.length);
      const price = num(v.price);
      if (price !== null) prices.set(symbol, price);
      const size = num(v.position_size) ?? 0;
      const entry = num(v.position_price);
      const sl = num(v.sl_price);
      const tp = num(v.tp_price);
      if (size === 0 || entry === null || sl === null || tp === null) continue;
      const opened =
        typeof v.position_opened_at === 'string' ? new Date(v.position_opened_at) : now;
      positions.set(symbol, {
        side: size > 0 ? 'long' : 'short',
        qty: Math.abs(size),
        entry,
        sl,
        tp,
        openedAt: Number.isNaN(opened.getTime()) ? now : opened,
      });
    }
    return { cash: num(summary.cash), realizedToday, tradesToday, prices, positions };
  } finally {
    db.close();
  }
}

/** Puts an earlier run's account, prices and positions back. */
export function resume(
  state: ResumeState,
  portfolio: Portfolio,
  instruments: Map<string, Instrument>,
): void {
  if (state.cash !== null) portfolio.cash = state.cash;
  portfolio.realizedToday = Number(state.realizedToday.toFixed(2));
  for (const [symbol, instrument] of instruments) {
    const price = state.prices.get(symbol);
    if (price !== undefined) instrument.price = price;
    const position = state.positions.get(symbol);
    if (position) portfolio.positions.set(symbol, position);
  }
}
