import Database from 'better-sqlite3';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_JSON_DEPTH } from '../../src/contract/index.js';
import { serveEngine } from '../helpers/cli.js';
import { watchEveryPage } from '../helpers/sse-clients.js';
import { freshDbPath } from '../helpers/tmp.js';

/** Keys the harness owns: generated rows never take these names. */
const GOOD = {
  engine: '{"status": "running"}',
  summary: '{"cash": 10, "value": 12, "currency": "USD"}',
  chart_EURUSD: '{"price": 1.1, "position_size": 1000, "position_price": 1.0}',
} as const;
const MARKER = 'harness_marker';

/** JSON text nested `depth` levels, objects and arrays alternating, with hostile leaves. */
const nestedJson = (depth: number, leaf: string) => {
  let text = leaf;
  for (let i = 0; i < depth; i++) text = i % 2 ? `[${text}, NaN]` : `{"k${i}": ${text}}`;
  return text;
};

/** Any SQLite value: NULL, integers, reals, BLOBs of any bytes, text of any code units. */
const anySqlite = fc.oneof(
  fc.constant(null),
  fc.integer(),
  fc.double(),
  fc.uint8Array({ maxLength: 64 }).map((bytes) => Buffer.from(bytes)),
  fc.string({ unit: 'binary', maxLength: 64 }),
);
const jsonText = fc.oneof(
  fc.json({ maxDepth: 6 }),
  fc
    .tuple(
      fc.integer({ min: 0, max: MAX_JSON_DEPTH }),
      fc.constantFrom('1', '"x"', 'Infinity', '{}'),
    )
    .map(([depth, leaf]) => nestedJson(depth, leaf)),
  fc.integer({ min: MAX_JSON_DEPTH + 1, max: 6000 }).map((depth) => nestedJson(depth, '1')),
  fc.constantFrom('{"price": NaN}', '{"price": "1.2", "position_size": "x"}', '{', ''),
);
const timestamp = fc.oneof(
  fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
  fc.date({ noInvalidDate: true }).map((d) => d.toISOString().replace('Z', '')),
  fc.constantFrom('9999-12-31T23:59:59', '0000-01-01T00:00:00Z', 'yesterday'),
  anySqlite,
);
const key = fc.oneof(
  anySqlite.filter((k) => !(typeof k === 'string' && (k in GOOD || k === MARKER))),
  fc.string({ maxLength: 12 }).map((s) => `chart_${s}`),
);
const row = fc.tuple(key, fc.oneof(jsonText, anySqlite), timestamp);

/**
 * Done-means harness of issue 11: arbitrary rows (any key type, any value bytes, any JSON depth,
 * any timestamp) written with better-sqlite3 into the engine file that a running dashboard
 * process serves, with SSE clients on every page. After every batch: the process is up, /healthz
 * answers within 1 s, no stream was dropped, and every good key is still served as it was.
 */
describe('arbitrary live_status rows against a running dashboard (fast-check)', () => {
  it('the process stays up, /healthz answers within 1 s, and every good key is still served', {
    timeout: 120_000,
  }, async () => {
    const path = freshDbPath();
    const db = new Database(path);
    db.pragma('journal_mode = WAL');
    // A foreign writer's table: no type affinity, so keys and values keep whatever type is bound.
    db.exec('CREATE TABLE live_status (key PRIMARY KEY, value, updated_at)');
    const put = db.prepare('INSERT OR REPLACE INTO live_status VALUES (?, ?, ?)');
    for (const [k, v] of Object.entries(GOOD)) put.run(k, v, new Date().toISOString());
    const cli = await serveEngine(path, ['--poll-ms', '100', '--stale-after', '1h']);
    const pages = await watchEveryPage(cli.url, ['EURUSD']);
    let run = 0;

    await fc.assert(
      fc.asyncProperty(fc.array(row, { minLength: 1, maxLength: 6 }), async (rows) => {
        run++;
        db.transaction(() => {
          for (const r of rows) put.run(...r);
          put.run(MARKER, JSON.stringify({ run }), new Date().toISOString());
        })();
        // Wait for the dashboard to have read this batch: the marker says which it served.
        const deadline = Date.now() + 10_000;
        let keys: Map<string, { value: unknown; error: string | null }>;
        for (;;) {
          const res = await fetch(`${cli.url}/api/v1/state`);
          expect(res.status).toBe(200);
          const body = (await res.json()) as {
            keys: Array<{ key: string; value: unknown; error: string | null }>;
          };
          keys = new Map(body.keys.map((k) => [k.key, k]));
          if ((keys.get(MARKER)?.value as { run?: number } | undefined)?.run === run) break;
          if (Date.now() > deadline) throw new Error(`batch ${run} never served`);
          await new Promise((r) => setTimeout(r, 20));
        }
        for (const [k, v] of Object.entries(GOOD))
          expect(keys.get(k), k).toMatchObject({ value: JSON.parse(v), error: null });
        const health = await fetch(`${cli.url}/healthz`, { signal: AbortSignal.timeout(1000) });
        expect(health.status).toBe(200);
        expect(cli.child.exitCode).toBeNull();
        expect(pages.ended()).toEqual([]);
      }),
      { numRuns: 100 },
    );
    const page = await fetch(`${cli.url}/state`);
    expect(page.status).toBe(200);
    expect(pages.bytes()).toBeGreaterThan(0);
    db.close();
    expect((await cli.stop()).code).toBe(0);
  });
});
