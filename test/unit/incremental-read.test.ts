import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { EnginePoller } from '../../src/reader/poller.js';
import { FULL_READ_EVERY_MS, INCREMENTAL_MIN_ROWS } from '../../src/reader/status-rows.js';
import { StateWriter } from '../../src/state/index.js';
import { freshDbPath } from '../helpers/tmp.js';

const COUNT = INCREMENTAL_MIN_ROWS + 500;

function setup() {
  const path = freshDbPath();
  const writer = StateWriter.open(path, { strict: true });
  writer.updateMany(
    Array.from({ length: COUNT }, (_, i) => [`chart_S${i}`, { price: i }] as const),
  );
  let now = Date.now();
  const poller = new EnginePoller({
    name: 'big',
    path,
    pollMs: 1000,
    staleAfterMs: 1e9,
    timeZone: 'UTC',
    now: () => now,
  });
  poller.tick();
  return { path, writer, poller, advance: (ms: number) => (now += ms) };
}

const price = (p: EnginePoller, symbol: string) =>
  p.snapshot.symbols.find((s) => s.symbol === symbol)?.price;

describe(`large tables (${COUNT} keys): incremental reads`, () => {
  it('picks up changed keys, including two writes in one millisecond', () => {
    const { writer, poller } = setup();
    writer.symbol('S7', { price: -1 });
    poller.tick();
    expect(price(poller, 'S7')).toBe(-1);
    // Same key again, very likely within the same millisecond as the previous write.
    writer.symbol('S7', { price: -2 });
    writer.symbol('S8', { price: -3 });
    poller.tick();
    expect([price(poller, 'S7'), price(poller, 'S8')]).toEqual([-2, -3]);
    expect(poller.snapshot.symbols).toHaveLength(COUNT);
    writer.close();
  });

  it('sees a new key and a removed key', () => {
    const { writer, poller } = setup();
    writer.symbol('NEW', { price: 5 });
    poller.tick();
    expect(price(poller, 'NEW')).toBe(5);
    writer.remove('chart_S1');
    poller.tick();
    expect(price(poller, 'S1')).toBeUndefined();
    expect(poller.snapshot.symbols).toHaveLength(COUNT);
    writer.close();
  });

  it('catches a write with an older updated_at at the next periodic full read', () => {
    const { path, writer, poller, advance } = setup();
    writer.close();
    const foreign = new Database(path);
    foreign
      .prepare(
        "UPDATE live_status SET value = '{\"price\": 99}', updated_at = '2000-01-01T00:00:00Z' WHERE key = 'chart_S3'",
      )
      .run();
    poller.tick();
    expect(price(poller, 'S3')).toBe(3); // unseen by the incremental read...
    advance(FULL_READ_EVERY_MS + 1);
    foreign.prepare("UPDATE live_status SET value = '{\"price\": 1}' WHERE key = 'chart_S4'").run();
    poller.tick();
    expect(price(poller, 'S3')).toBe(99); // ...caught by the full one
    foreign.close();
  });
});
