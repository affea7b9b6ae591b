import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, renameSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { StateWriter } from '../../src/state/index.js';
import { type RunningCli, serveEngine } from '../helpers/cli.js';
import { writePythonDesignDb } from '../helpers/engine-files.js';
import { ROOT } from '../helpers/spawn.js';
import { watchState } from '../helpers/state-stream.js';
import { freshDbPath } from '../helpers/tmp.js';

const POLL_MS = 100;

/**
 * Faults the running service must survive, each on real files with the dashboard as a real
 * process: what /healthz, /readyz and the page say during the fault, and that it heals by
 * itself once the fault is repaired. Recovery times are printed for the record.
 */
describe('faults while serving (real dashboard process, real files)', () => {
  async function serve(db: string, extra: string[] = []) {
    const cli = await serveEngine(db, ['--poll-ms', String(POLL_MS), ...extra]);
    return { cli, state: await watchState(cli.url) };
  }

  /** During a fault: liveness still 200, readiness 200 naming the problem, the page says it. */
  async function saysWhatIsWrong(cli: RunningCli, state: string, reason: RegExp) {
    expect((await fetch(`${cli.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${cli.url}/readyz`);
    expect(ready.status).toBe(200);
    const body = (await ready.json()) as { engines: Array<{ state: string; reason: string }> };
    expect(body.engines[0]).toMatchObject({ state, reason: expect.stringMatching(reason) });
    const page = await (await fetch(`${cli.url}/live`)).text();
    expect(page).toMatch(
      new RegExp(`<p class="notice notice-${state}" role="alert">[^<]*${reason.source}`),
    );
  }

  function engine(db: string) {
    const writer = StateWriter.open(db, { strict: true });
    writer.heartbeat({ status: 'running' });
    writer.summary({ cash: 1, currency: 'USD' });
    return writer;
  }

  it('the database deleted, then written again', async () => {
    const db = freshDbPath();
    const writer = engine(db);
    const { cli, state } = await serve(db);
    await state.until('live');
    writer.close();
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${db}${suffix}`, { force: true });
    await state.until('waiting');
    await saysWhatIsWrong(cli, 'waiting', /does not exist|no database/);
    engine(db).close();
    console.log(`recovered from deletion in ${await state.until('live')} ms`);
  });

  it('the database replaced by another file', async () => {
    const db = freshDbPath();
    engine(db).close();
    const { cli, state } = await serve(db);
    await state.until('live');
    const other = `${db}.new`;
    const writer = StateWriter.open(other, { strict: true });
    writer.heartbeat({ status: 'running' });
    writer.summary({ cash: 777 });
    writer.close();
    renameSync(other, db);
    for (const suffix of ['-wal', '-shm']) rmSync(`${db}${suffix}`, { force: true });
    const cash = async () =>
      ((await (await fetch(`${cli.url}/api/live/status`)).json()) as { summary: { cash: number } })
        .summary.cash;
    while ((await cash()) !== 777) await state.next(); // each push is a new snapshot
    expect(await cash()).toBe(777);
  });

  it('the database truncated, or overwritten with garbage, then restored', async () => {
    const db = freshDbPath();
    engine(db).close();
    const { cli, state } = await serve(db);
    await state.until('live');
    writeFileSync(db, Buffer.alloc(64 * 1024, 0x5a)); // garbage over the whole file
    rmSync(`${db}-wal`, { force: true });
    rmSync(`${db}-shm`, { force: true });
    await state.until('error');
    await saysWhatIsWrong(cli, 'error', /not a database|corrupt|malformed/);
    truncateSync(db, 0);
    await state.until('waiting');
    rmSync(db);
    engine(db).close();
    console.log(`recovered from garbage in ${await state.until('live')} ms`);
  });

  it('an exclusive lock held by another process for 10 s', { timeout: 40_000 }, async () => {
    const db = freshDbPath();
    writePythonDesignDb(
      db,
      { summary: '{"cash": 1}' },
      new Date(Date.now() + 60_000).toISOString(),
    );
    const { cli, state } = await serve(db, ['--stale-after', '120s']);
    await state.until('live');
    const locker = spawn(
      process.execPath,
      ['--import', 'tsx', 'test/fixtures/hold-lock.ts', db, '10000'],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const lines = createInterface({ input: locker.stdout });
    await once(lines, 'line'); // locked
    await state.until('error');
    await saysWhatIsWrong(cli, 'error', /locked/);
    const status = (await (await fetch(`${cli.url}/api/live/status`)).json()) as {
      summary: { cash: number };
    };
    expect(status.summary.cash).toBe(1); // the last good state, not nothing
    await once(lines, 'line'); // released
    console.log(`recovered from the lock in ${await state.until('live')} ms`);
    const after = (await (await fetch(`${cli.url}/api/live/status`)).json()) as {
      summary: { cash: number };
    };
    expect(after.summary.cash).toBe(2);
  });

  it('the writer killed with SIGKILL in the middle of a write-behind flush: never a partial state', async () => {
    const db = freshDbPath();
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'test/fixtures/flush-forever.ts', db],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    await once(createInterface({ input: child.stdout }), 'line');
    const { cli } = await serve(db);
    await new Promise((resolve) => setTimeout(resolve, 300 + Math.random() * 200)); // some flushes in
    child.kill('SIGKILL');
    await once(child, 'exit');
    const state = (await (await fetch(`${cli.url}/api/v1/state`)).json()) as {
      symbols: Array<{ price: number }>;
    };
    const batches = new Set(state.symbols.map((s) => s.price));
    expect(state.symbols).toHaveLength(500);
    expect(batches.size).toBe(1); // one committed flush, whole
    // And what the file holds once SQLite recovers it is that same batch or a later whole one.
    const check = new Database(db, { readonly: true });
    const rows = check
      .prepare(
        "SELECT DISTINCT json_extract(value, '$.batch') AS b FROM live_status WHERE key LIKE 'chart_%'",
      )
      .all();
    check.close();
    expect(rows).toHaveLength(1);
  });

  it('a 10 MB value, 10,000 symbols and invalid UTF-8 in a value', async () => {
    const db = freshDbPath();
    const writer = engine(db);
    writer.updateMany(
      Array.from({ length: 10_000 }, (_, i) => [`chart_S${i}`, { price: i }] as const),
    );
    writer.close();
    const raw = new Database(db);
    raw
      .prepare("INSERT OR REPLACE INTO live_status (key, value, updated_at) VALUES ('huge', ?, ?)")
      .run(`{"x":"${'y'.repeat(10 * 1024 * 1024)}"}`, new Date().toISOString());
    raw
      .prepare(
        "INSERT OR REPLACE INTO live_status (key, value, updated_at) VALUES ('bad_utf8', CAST(? AS TEXT), ?)",
      )
      .run(
        Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]),
        new Date().toISOString(),
      );
    raw.close();
    const { cli, state } = await serve(db);
    await state.until('live');
    const res = await fetch(`${cli.url}/api/v1/state`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      symbols: unknown[];
      keys: Array<{ key: string; error: string | null; value: unknown }>;
    };
    expect(body.symbols).toHaveLength(10_000);
    expect(body.keys.find((k) => k.key === 'huge')?.error).toMatch(
      /value is 10.0 MiB, over the 1.0 MiB/,
    );
    expect(JSON.stringify(body.keys.find((k) => k.key === 'bad_utf8'))).toContain('\ufffd');
    for (const path of ['/live', '/state', '/metrics'])
      expect((await fetch(cli.url + path)).status).toBe(200);
  });

  it('the sidecar database corrupt at start, and deleted while serving', async () => {
    const db = freshDbPath();
    engine(db).close();
    const dataDir = `${db}.data`;
    mkdirSync(dataDir, { recursive: true });
    const sidecar = `${dataDir}/tradewatch-history.db`;
    writeFileSync(sidecar, 'garbage, not SQLite'.repeat(1000));
    const { cli, state } = await serve(db, [
      '--alert',
      'memory=0',
      '--alert',
      'memory.for=0',
      '--system-interval',
      '1s',
    ]);
    await state.until('live');
    await cli.line(/"level":40.*moved to .*corrupt-.* and starting a new one/);
    await cli.line(/alert firing: WARNING Memory/); // the new file has an alert in it
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${sidecar}${suffix}`, { force: true });
    await cli.line(/"level":40.*was deleted while running; recreated it with everything it held/);
    const copy = new Database(sidecar, { readonly: true });
    const alerts = copy.prepare("SELECT rule, state FROM alerts WHERE rule = 'memory'").all();
    const samples = copy.prepare('SELECT count(*) AS n FROM samples').get() as { n: number };
    copy.close();
    expect(alerts).toEqual([{ rule: 'memory', state: 'firing' }]);
    expect(samples.n).toBeGreaterThan(0);
    // And it goes on writing to the new file, serving all along.
    expect((await fetch(`${cli.url}/readyz`)).status).toBe(200);
    expect((await fetch(`${cli.url}/api/v1/monitoring/alerts?state=firing`)).status).toBe(200);
  });
});
