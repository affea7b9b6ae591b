import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { type RunningCli, serveEngine } from '../helpers/cli.js';
import { watchEveryPage } from '../helpers/sse-clients.js';
import { freshDbPath } from '../helpers/tmp.js';

/**
 * What a foreign engine can put in its file must never take the dashboard down (issue 11, items
 * 1, 2 and 5): a real dashboard process, real files, SSE clients on every page.
 */
describe('hostile engine files (real dashboard process)', () => {
  const now = () => new Date().toISOString();

  /** A table as a foreign writer may declare it: no type affinity, no NOT NULL. */
  function foreignDb(path: string) {
    const db = new Database(path);
    db.exec('CREATE TABLE live_status (key PRIMARY KEY, value, updated_at)');
    const put = db.prepare('INSERT INTO live_status VALUES (?, ?, ?)');
    put.run('engine', '{"status": "running"}', now());
    put.run('summary', '{"cash": 5, "currency": "USD"}', now());
    put.run('chart_EURUSD', '{"price": 1.1, "position_size": 0}', now());
    return { db, put };
  }

  async function healthyWithin1s(cli: RunningCli) {
    const res = await fetch(`${cli.url}/healthz`, { signal: AbortSignal.timeout(1000) });
    expect(res.status).toBe(200);
  }

  async function apiKeys(cli: RunningCli) {
    const res = await fetch(`${cli.url}/api/v1/state`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      keys: Array<{ key: string; value: unknown; error: string | null }>;
    };
    return new Map(body.keys.map((k) => [k.key, k]));
  }

  async function until<T>(probe: () => Promise<T | undefined>, what: string): Promise<T> {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const found = await probe();
      if (found !== undefined) return found;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  it('rows keyed NULL, BLOB or integer, and values and times of every SQLite type, are each named as an error while every good key still shows', async () => {
    const path = freshDbPath();
    const { db, put } = foreignDb(path);
    const cli = await serveEngine(path, ['--poll-ms', '100']);
    const pages = await watchEveryPage(cli.url, ['EURUSD']);
    await until(async () => ((await apiKeys(cli)).has('summary') ? true : undefined), 'summary');
    put.run(null, '{"a": 1}', now());
    put.run(null, '{"b": 2}', now());
    put.run(Buffer.from([0x00, 0xff]), '{"c": 3}', now());
    put.run(42, '{"d": 4}', now());
    put.run('blob_value', Buffer.from('{}'), now());
    put.run('int_value', 7, now());
    put.run('null_value', null, now());
    put.run('int_time', '{"e": 5}', 1_700_000_000);
    put.run('blob_time', '{"f": 6}', Buffer.from([1]));
    db.close();
    const keys = await until(async () => {
      const k = await apiKeys(cli);
      return k.has('blob_time') ? k : undefined;
    }, 'the bad rows');
    expect(keys.get('summary')).toMatchObject({ value: { cash: 5 }, error: null });
    expect(keys.get('chart_EURUSD')).toMatchObject({ value: { price: 1.1 }, error: null });
    expect(keys.get('(NULL key)')?.error).toMatch(/key is NULL, not text/);
    expect(keys.get('(NULL key #2)')?.error).toMatch(/key is NULL/);
    expect(keys.get('(a BLOB of 2 bytes (00ff) key)')?.error).toMatch(/BLOB/);
    expect(keys.get('(the integer 42 key)')?.error).toMatch(/integer 42/);
    expect(keys.get('blob_value')?.error).toMatch(/value is a BLOB of 2 bytes/);
    expect(keys.get('int_value')?.error).toMatch(/value is the integer 7/);
    expect(keys.get('null_value')?.error).toMatch(/value is NULL/);
    expect(keys.get('int_time')?.error).toMatch(/updated_at "1700000000" is not an ISO-8601 time/);
    expect(keys.get('blob_time')?.error).toMatch(/updated_at "<a BLOB of 1 bytes/);
    const page = await (await fetch(`${cli.url}/state`)).text();
    expect(page).toContain('(NULL key)');
    expect(page).toContain('key is NULL, not text');
    await healthyWithin1s(cli);
    expect(pages.ended()).toEqual([]);
    expect(cli.child.exitCode).toBeNull();
    // The log names each bad row once.
    const logged = await cli.line(/the integer 42 key/);
    expect(logged).toMatch(/cannot be shown/);
  });

  it("a value nested 4,500 levels deep is that key's error on /state, /api/v1/state and the SSE pages, and the process keeps serving", async () => {
    const path = freshDbPath();
    const { db, put } = foreignDb(path);
    const cli = await serveEngine(path, ['--poll-ms', '100']);
    const pages = await watchEveryPage(cli.url, ['EURUSD']);
    const deep = `${'{"a":'.repeat(4500)}1${'}'.repeat(4500)}`;
    put.run('deep', deep, now());
    put.run('chart_DEEP', `{"price": 1, "x": ${'['.repeat(4500)}${']'.repeat(4500)}}`, now());
    db.close();
    const keys = await until(async () => {
      const k = await apiKeys(cli);
      return k.has('chart_DEEP') ? k : undefined;
    }, 'the deep rows');
    expect(keys.get('deep')?.error).toMatch(/nests deeper than 64 levels/);
    expect(keys.get('chart_DEEP')?.error).toMatch(/nests deeper than 64 levels/);
    expect(keys.get('summary')).toMatchObject({ value: { cash: 5 } });
    const state = await fetch(`${cli.url}/state`);
    expect(state.status).toBe(200);
    expect(await state.text()).toContain('nests deeper than 64 levels');
    await healthyWithin1s(cli);
    expect(pages.ended()).toEqual([]);
    expect(cli.child.exitCode).toBeNull();
  });

  for (const [what, make, named] of [
    [
      'a FIFO',
      (p: string) => execFileSync('mkfifo', [p]),
      /a FIFO \(named pipe\), not a regular file/,
    ],
    ['a directory', (p: string) => mkdirSync(p), /a directory, not a regular file/],
  ] as const) {
    it(`${what} at the database path is refused without being opened: /healthz answers and the page says why`, async () => {
      const path = freshDbPath();
      make(path);
      const cli = await serveEngine(path, ['--poll-ms', '100']);
      await healthyWithin1s(cli);
      const ready = (await (await fetch(`${cli.url}/readyz`)).json()) as {
        engines: Array<{ state: string; reason: string }>;
      };
      expect(ready.engines[0]).toMatchObject({
        state: 'error',
        reason: expect.stringMatching(named),
      });
      expect(await (await fetch(`${cli.url}/live`)).text()).toMatch(named);
      await healthyWithin1s(cli);
      const stopped = await cli.stop();
      expect(stopped.code).toBe(0);
    });
  }
});
