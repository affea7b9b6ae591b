import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseTolerantJson } from '../../src/contract/json.js';
import { parseTimestamp } from '../../src/contract/time.js';
import { StateWriter } from '../../src/state/index.js';
import { PAGES } from '../../src/web/live/panels.js';
import { rendererOver } from '../helpers/renderer.js';
import { freshDbPath } from '../helpers/tmp.js';

/** Property-based tests: the parsers and the view layer against input nobody thought of. */
describe('tolerant JSON (fast-check)', () => {
  it('never throws, and agrees with JSON.parse wherever JSON.parse succeeds', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json()), (text) => {
        const result = parseTolerantJson(text);
        let standard: { value: unknown } | null = null;
        try {
          standard = { value: JSON.parse(text) };
        } catch {
          // not standard JSON
        }
        if (standard) expect(result).toEqual({ ok: true, value: standard.value });
        else if (!result.ok) expect(result.error).toMatch(/\S/);
      }),
      { numRuns: 2000 },
    );
  });

  it("reads Python's NaN and infinities anywhere a number may stand, strings untouched", () => {
    const token = fc.constantFrom('NaN', 'Infinity', '-Infinity');
    fc.assert(
      fc.property(
        fc.dictionary(
          fc.string(),
          fc.oneof(
            token,
            fc.string().map((s) => JSON.stringify(s)),
          ),
        ),
        (fields) => {
          const text = `{${Object.entries(fields)
            .map(([k, v]) => `${JSON.stringify(k)}: ${v}`)
            .join(', ')}}`;
          const result = parseTolerantJson(text);
          expect(result.ok).toBe(true);
          const value = (result as { value: Record<string, unknown> }).value;
          for (const [k, v] of Object.entries(fields)) {
            const expected =
              v === 'NaN'
                ? null
                : v === 'Infinity'
                  ? Infinity
                  : v === '-Infinity'
                    ? -Infinity
                    : JSON.parse(v);
            expect(value[k]).toEqual(expected);
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('timestamps (fast-check)', () => {
  const zones = fc.constantFrom(
    'UTC',
    'Asia/Tokyo',
    'America/New_York',
    'Europe/London',
    'Australia/Lord_Howe',
  );

  it('never throws; returns null or a finite number for any text', () => {
    fc.assert(
      fc.property(fc.string(), zones, (text, zone) => {
        const ms = parseTimestamp(text, zone);
        expect(ms === null || Number.isFinite(ms)).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  it('reads back any instant written as ISO with Z, with an offset, or with microseconds', () => {
    const instant = fc.integer({ min: Date.UTC(1971, 0, 1), max: Date.UTC(2099, 11, 31) });
    fc.assert(
      fc.property(instant, fc.integer({ min: -14 * 60, max: 14 * 60 }), (ms, offsetMinutes) => {
        const iso = new Date(ms).toISOString();
        expect(parseTimestamp(iso)).toBe(ms);
        expect(parseTimestamp(`${iso.slice(0, -1)}123Z`)).toBe(ms); // microseconds are cut to ms
        const local = new Date(ms + offsetMinutes * 60_000).toISOString().slice(0, -1);
        const sign = offsetMinutes < 0 ? '-' : '+';
        const abs = Math.abs(offsetMinutes);
        const offset = `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
        expect(parseTimestamp(`${local}${offset}`)).toBe(ms);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('view-models and templates against arbitrary engine values (fast-check)', () => {
  it('render every panel of every page without throwing, and never print undefined or NaN', async () => {
    const path = freshDbPath();
    const writer = StateWriter.open(path, { onError: () => {} }); // arbitrary values are the point
    const { poller, renderer, engine, history } = rendererOver(path);
    // Engine-supplied text is shown as written: keep the words we look for out of it.
    const text = (max = 12) =>
      fc.string({ maxLength: max }).filter((t) => !/undefined|NaN|object/.test(t));
    const anyValue = fc.oneof(
      fc.double(),
      fc.integer(),
      text(),
      fc.boolean(),
      fc.constant(null),
      fc.array(fc.double(), { maxLength: 3 }),
      fc.dictionary(fc.string({ maxLength: 5 }), fc.double(), { maxKeys: 3 }),
    );
    const fields = (names: string[]) =>
      fc.record(Object.fromEntries(names.map((n) => [n, anyValue])), { requiredKeys: [] });
    const symbol = fields([
      'price',
      'position_size',
      'position_price',
      'sl_price',
      'tp_price',
      'unrealized_pnl',
      'rsi14',
      'dt',
    ]);
    await fc.assert(
      fc.asyncProperty(
        fields(['cash', 'value', 'equity', 'currency', 'daily_pnl', 'margin_level', 'balance']),
        fc.dictionary(fc.constantFrom('EURUSD', 'BTC/USD', '<b>x</b>', 'ÄÖ', ''), symbol, {
          maxKeys: 3,
        }),
        fields(['connected', 'server', 'account']),
        fields(['status', 'pid', 'mode', 'version', 'started_at']),
        fc.record({
          symbol: text(8),
          side: fc.constantFrom('long', 'short'),
          pnl: fc.double({ noNaN: true, noDefaultInfinity: true }),
        }),
        async (summary, symbols, broker, heartbeat, trade) => {
          writer.update('summary', summary);
          for (const [name, value] of Object.entries(symbols))
            writer.update(`chart_${name}`, value);
          writer.update('broker', broker);
          writer.update('engine', heartbeat);
          writer.recordTrade(trade);
          writer.event(
            'alert',
            'WARNING',
            typeof summary.currency === 'string' ? summary.currency : 'x',
          );
          const snapshot = poller.tick();
          history.record(snapshot);
          for (const [page, panels] of Object.entries(PAGES))
            for (const panel of panels) {
              const html = renderer.render(
                snapshot,
                panel,
                engine,
                page === 'symbol' ? (Object.keys(symbols)[0] ?? 'EURUSD') : null,
              );
              expect(html, `${page}/${panel.name}`).not.toMatch(
                /\bundefined\b|\bNaN\b|\[object Object\]/,
              );
            }
        },
      ),
      { numRuns: 150 },
    );
    writer.close();
  });
});
