/**
 * The demo engine: a simulated trading engine that publishes its state with tradewatch/state
 * only through the public writer API, exactly as a real engine would.
 *
 *   node dist/scripts/simulate-engine.js [--db data/demo.db] [--symbols EURUSD,US500,BTCUSD]
 *       [--interval-ms 1000] [--duration 10m] [--logs data/logs] [--seed 42] [--quiet]
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { parseDuration } from '../src/contract/duration.js';
import { StateWriter } from '../src/state/index.js';
import { EngineLogs } from './sim/logs.js';
import { DEFAULT_SYMBOLS, Instrument, instrumentSpec } from './sim/market.js';
import { Portfolio, pnlOf } from './sim/portfolio.js';
import { readResumeState, resume } from './sim/resume.js';

const USAGE = `usage: simulate-engine [--db data/demo.db] [--symbols ${DEFAULT_SYMBOLS.join(',')}]
       [--interval-ms 1000] [--duration 0 (forever) | 30s | 10m] [--logs data/logs] [--seed N] [--quiet]`;

function fail(message: string): never {
  process.stderr.write(`simulate-engine: ${message}\n${USAGE}\n`);
  process.exit(2);
}

function parseOptions() {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      options: {
        db: { type: 'string', default: 'data/demo.db' },
        symbols: { type: 'string', default: DEFAULT_SYMBOLS.join(',') },
        'interval-ms': { type: 'string', default: '1000' },
        duration: { type: 'string', default: '0' },
        logs: { type: 'string' },
        seed: { type: 'string' },
        quiet: { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
    });
  } catch (error) {
    fail((error as Error).message);
  }
  const v = parsed.values as Record<string, string | boolean | undefined>;
  if (v.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  const intervalMs = Number(v['interval-ms']);
  if (!Number.isInteger(intervalMs) || intervalMs < 10)
    fail('--interval-ms must be a whole number >= 10');
  const durationMs = parseDuration(String(v.duration));
  if (durationMs === null) fail('--duration must be like 30, 30s, 10m or 2h (0 = forever)');
  const symbols = String(v.symbols)
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (symbols.length === 0 || symbols.some((s) => !/^[A-Za-z0-9._-]{1,32}$/.test(s))) {
    fail('--symbols must be a comma-separated list of symbols (letters, digits, . _ -)');
  }
  const db = String(v.db);
  const seed = v.seed === undefined ? null : Number(v.seed);
  if (seed !== null && !Number.isInteger(seed)) fail('--seed must be a whole number');
  return {
    db,
    symbols,
    intervalMs,
    durationMs,
    logsDir: String(v.logs ?? join(db, '..', 'logs')),
    seed,
    quiet: Boolean(v.quiet),
  };
}

const money = (n: number) => Number(n.toFixed(2));

/** USDJPY is quoted in JPY; every other demo instrument in USD, the account's currency. */
const quoteCurrencyOf = (symbol: string) => (symbol.endsWith('JPY') ? 'JPY' : 'USD');

/** mulberry32: a small seeded generator, so that a seeded run is reproducible. */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function main() {
  const options = parseOptions();
  const random = options.seed === null ? Math.random : seededRandom(options.seed);
  const logs = new EngineLogs(options.logsDir);
  // Read before the writer opens the file: what an earlier run left is this run's start.
  const earlier = readResumeState(options.db, new Date());
  const state = StateWriter.open(options.db, {
    onError: (error, context) =>
      logs.write(
        'error',
        'ERROR',
        `state writer: ${context.op} ${context.key ?? ''}: ${error.message}`,
      ),
  });
  const instruments = new Map(
    options.symbols.map((s) => [s, new Instrument(instrumentSpec(s), random)]),
  );
  const portfolio = new Portfolio(100_000);
  if (earlier) resume(earlier, portfolio, instruments);
  let ticks = 0;
  let tradesToday = earlier?.tradesToday ?? 0;

  logs.write(
    'system',
    'INFO',
    `engine started pid=${process.pid} symbols=${options.symbols.join(',')} db=${options.db}`,
  );
  state.broker({ connected: true, server: 'demo.broker.local:443', account: 'DEMO-1001' });
  state.event(
    'note',
    'INFO',
    earlier
      ? `demo engine resumed with ${options.symbols.length} symbols, cash ${portfolio.cash.toFixed(2)} USD, ${portfolio.positions.size} open`
      : `demo engine started with ${options.symbols.length} symbols`,
  );

  const tick = () => {
    ticks++;
    const now = new Date();
    const entries: Array<[string, object]> = [];
    for (const instrument of instruments.values()) {
      instrument.step();
      const { closed, opened } = portfolio.decide(instrument, now);
      const symbol = instrument.spec.symbol;
      if (closed) {
        tradesToday++;
        state.recordTrade(closed);
        logs.write(
          'trading',
          'INFO',
          `closed ${closed.side} ${symbol} qty=${closed.qty} at ${closed.exit_price} (${closed.exit_reason}) pnl=${closed.pnl}`,
        );
        if (closed.pnl < 0 && closed.exit_reason === 'stop-loss')
          logs.write('trading', 'WARNING', `stop-loss hit on ${symbol}: ${closed.pnl}`);
      }
      if (opened) {
        logs.write(
          'trading',
          'INFO',
          `opened ${opened.side} ${symbol} qty=${opened.qty} at ${opened.entry} sl=${opened.sl} tp=${opened.tp}`,
        );
      }
      const position = portfolio.positions.get(symbol);
      const sign = position ? (position.side === 'long' ? 1 : -1) : 0;
      const quote = quoteCurrencyOf(symbol);
      entries.push([
        `chart_${symbol}`,
        {
          price: instrument.price,
          dt: now.toISOString(),
          position_size: sign * (position?.qty ?? 0),
          position_price: position?.entry ?? null,
          position_opened_at: position?.openedAt.toISOString() ?? null,
          sl_price: position?.sl ?? null,
          tp_price: position?.tp ?? null,
          // The contract's money fields: the P&L in account currency (it wins), and what a
          // price difference is worth, so the dashboard could compute it too.
          unrealized_pnl: position ? money(pnlOf(instrument, position, instrument.price)) : null,
          quote_currency: quote,
          contract_size: 1,
          quote_to_account_rate:
            quote === 'USD' ? 1 : Number((1 / instrument.price).toPrecision(8)),
          rsi14: instrument.rsi,
        },
      ]);
    }
    const unrealized = portfolio.unrealized(instruments);
    const equity = portfolio.cash + unrealized;
    entries.push([
      'summary',
      {
        cash: money(portfolio.cash),
        value: money(equity),
        balance: money(portfolio.cash),
        equity: money(equity),
        currency: 'USD',
        daily_pnl: money(portfolio.realizedToday + unrealized),
        realized_pnl: money(portfolio.realizedToday),
        margin_level: portfolio.positions.size
          ? money((equity / (portfolio.positions.size * 2_000)) * 100)
          : null,
      },
    ]);
    state.updateMany(entries);
    state.heartbeat({ version: '0.1.0-demo', mode: 'paper', tick: ticks });
    if (ticks % 10 === 0)
      logs.write(
        'system',
        'INFO',
        `heartbeat tick=${ticks} equity=${money(equity)} open=${portfolio.positions.size}`,
      );
    if (random() < 0.01)
      logs.write('error', 'WARNING', 'order gateway slow: 1.2 s round trip, retrying');
    if (!options.quiet) {
      process.stdout.write(
        `tick ${ticks}  equity ${money(equity).toFixed(2)} USD  open ${portfolio.positions.size}  trades ${tradesToday}  ${[...instruments.values()].map((i) => `${i.spec.symbol} ${i.price}`).join('  ')}\n`,
      );
    }
  };

  const timer = setInterval(tick, options.intervalMs);
  tick();
  const stop = (reason: string) => {
    clearInterval(timer);
    state.heartbeat({ status: 'stopped', version: '0.1.0-demo', mode: 'paper', tick: ticks });
    state.event('note', 'INFO', `demo engine stopped (${reason})`);
    state.close();
    logs.write('system', 'INFO', `engine stopped (${reason})`);
    process.exit(0);
  };
  if (options.durationMs > 0) setTimeout(() => stop('duration reached'), options.durationMs);
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

main();
