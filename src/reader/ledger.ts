import {
  isJsonObject,
  parseTimestamp,
  parseTolerantJson,
  startOfLocalDay,
} from '../contract/index.js';
import { tradeStats } from '../contract/trade-stats.js';
import { num, str } from './derive.js';
import type { RawEvent } from './engine-db.js';
import type { EngineEvent, Trade, TradeStats } from './types.js';

const RECENT_EVENTS = 200;
const RECENT_TRADES = 50;

/**
 * The journal as the dashboard keeps it: every trade the engine's journal still holds (for
 * statistics and daily P&L), and the latest other events. Fed by EngineDatabase's tail.
 */
export class Ledger {
  private tradeList: Trade[] = [];
  private recent: EngineEvent[] = [];

  constructor(private readonly timeZone: string) {}

  reset(): void {
    this.tradeList = [];
    this.recent = [];
  }

  /** Adds newly read rows; returns them as events (trades included). */
  append(rows: readonly RawEvent[]): EngineEvent[] {
    const added: EngineEvent[] = [];
    for (const row of rows) {
      const event = toEvent(row, this.timeZone);
      added.push(event);
      if (event.type === 'trade') {
        const trade = toTrade(event);
        if (trade) this.tradeList.push(trade);
      } else {
        this.recent.push(event);
      }
    }
    if (this.recent.length > RECENT_EVENTS * 2) this.recent = this.recent.slice(-RECENT_EVENTS);
    // Writers append in exit order almost always; keep the list sorted when one does not.
    if (added.length > 0) this.tradeList.sort((a, b) => a.exitTimeMs - b.exitTimeMs || a.id - b.id);
    return added;
  }

  /**
   * Forgets trades and events below `minId`, the lowest id the journal still holds: the writer
   * prunes old rows, and a long-running dashboard must show what a fresh one reads. True when
   * anything went.
   */
  dropBefore(minId: number): boolean {
    const trades = this.tradeList.length;
    const recent = this.recent.length;
    this.tradeList = this.tradeList.filter((t) => t.id >= minId);
    this.recent = this.recent.filter((e) => e.id >= minId);
    return this.tradeList.length !== trades || this.recent.length !== recent;
  }

  get trades(): readonly Trade[] {
    return this.tradeList;
  }

  recentEvents(): EngineEvent[] {
    return this.recent.slice(-RECENT_EVENTS);
  }

  recentTrades(): Trade[] {
    return this.tradeList.slice(-RECENT_TRADES);
  }

  /** Trades with an exit at or after `sinceMs`, oldest first. */
  tradesSince(sinceMs: number): Trade[] {
    return this.tradeList.slice(firstIndexAtOrAfter(this.tradeList, sinceMs));
  }

  /** Statistics of the trades closed on the local day containing `nowMs`. */
  todayStats(nowMs: number): TradeStats {
    return tradeStats(this.tradesSince(startOfLocalDay(nowMs, this.timeZone)));
  }
}

function firstIndexAtOrAfter(trades: readonly Trade[], ms: number): number {
  let lo = 0;
  let hi = trades.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((trades[mid]?.exitTimeMs ?? 0) < ms) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function toEvent(row: RawEvent, timeZone: string): EngineEvent {
  const parsed = parseTolerantJson(String(row.data));
  const data = parsed.ok && isJsonObject(parsed.value) ? parsed.value : null;
  const ts = String(row.ts);
  return {
    id: Number(row.id),
    tsMs: parseTimestamp(ts, timeZone),
    ts,
    type: String(row.type),
    level: row.level === null ? null : String(row.level).toUpperCase(),
    symbol: row.symbol === null ? (str(data?.symbol) ?? null) : String(row.symbol),
    message: str(data?.message) ?? (parsed.ok ? null : `unreadable event data: ${parsed.error}`),
    data,
  };
}

/** A trade event with a symbol, a time and a finite pnl; anything less is left out of statistics. */
function toTrade(event: EngineEvent): Trade | null {
  const d = event.data;
  const pnl = num(d?.pnl);
  const symbol = event.symbol ?? str(d?.symbol);
  if (!d || pnl === null || symbol === null || event.tsMs === null) return null;
  return {
    id: event.id,
    symbol,
    side: str(d.side) ?? '',
    qty: num(d.qty),
    entryPrice: num(d.entry_price),
    exitPrice: num(d.exit_price),
    entryTime: str(d.entry_time),
    exitTimeMs: event.tsMs,
    pnl,
    exitReason: str(d.exit_reason),
  };
}
