import { chmodSync, chownSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { type RunningCli, startCli } from '../helpers/cli.js';
import { scriptedWriter } from '../helpers/scripted-writer.js';

/** The engine's user and the dashboard's, two real uids (`setpriv`; the tests run as root). */
const ENGINE_UID = 4242;
const DASHBOARD_UID = 65534; // nobody

/**
 * DESIGN.md invariant 8 (issue 11, item 8): the dashboard creates, keeps and owns no file in the
 * engine's directory, whatever user it runs as, and reads a stopped engine's last state from a
 * directory it cannot write. Engine and dashboard run as different real users.
 */
describe('the engine directory belongs to the engine (real users, real processes)', () => {
  function dir(mode: number, owner: number): string {
    const path = mkdtempSync(join(tmpdir(), 'tradewatch-owner-'));
    onTestFinished(() => rmSync(path, { recursive: true, force: true }));
    chownSync(path, owner, owner);
    chmodSync(path, mode);
    return path;
  }

  /** The engine as its own user: writes cash, then stops cleanly (its last connection closes). */
  async function engineRun(db: string, cash: number) {
    const engine = scriptedWriter(db, { uid: ENGINE_UID });
    await engine.call('summary', { cash, currency: 'USD' });
    await engine.call('heartbeat');
    return {
      stop: async () => {
        const exited = new Promise((resolve) => engine.child.once('exit', resolve));
        engine.child.stdin.end();
        expect(await exited).toBe(0);
      },
    };
  }

  async function dashboard(db: string): Promise<RunningCli> {
    const data = dir(0o700, DASHBOARD_UID);
    return startCli(
      ['--db', `main=${db}`, '--port', '0', '--data-dir', data, '--poll-ms', '100'],
      { HOME: data },
      DASHBOARD_UID,
    );
  }

  async function cashShown(cli: RunningCli, cash: number) {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const body = (await (await fetch(`${cli.url}/api/v1/state`)).json()) as {
        engine: { state: string; reason: string };
        summary: { cash: number } | null;
      };
      if (body.summary?.cash === cash && body.engine.state !== 'error') return body;
      if (Date.now() > deadline)
        throw new Error(`cash ${cash} never shown: ${JSON.stringify(body.engine)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  function filesOwnedBy(path: string, uid: number): string[] {
    return readdirSync(path).filter((name) => statSync(join(path, name)).uid === uid);
  }

  it('a dashboard started after a clean engine stop creates no file beside the database, and the engine, another user, starts again normally', async () => {
    const engineDir = dir(0o777, ENGINE_UID); // both users may write here: the worst case
    const db = join(engineDir, 'engine.db');
    await (await engineRun(db, 1)).stop();
    expect(readdirSync(engineDir)).toEqual(['engine.db']);

    const cli = await dashboard(db);
    await cashShown(cli, 1);
    expect(readdirSync(engineDir)).toEqual(['engine.db']);

    // The engine starts again as its own user while the dashboard watches: it opens normally,
    // and the dashboard follows it live.
    const engine = await engineRun(db, 2);
    await cashShown(cli, 2);
    await engine.stop();
    expect(filesOwnedBy(engineDir, DASHBOARD_UID)).toEqual([]);
    expect((await cli.stop()).code).toBe(0);
    expect(filesOwnedBy(engineDir, DASHBOARD_UID)).toEqual([]);

    // And once more after the dashboard is gone.
    await (await engineRun(db, 3)).stop();
  });

  it("reads a stopped engine's last state from a directory it cannot write", async () => {
    const engineDir = dir(0o755, ENGINE_UID); // like systemd ReadOnlyPaths for the dashboard
    const db = join(engineDir, 'engine.db');
    await (await engineRun(db, 7)).stop();
    const cli = await dashboard(db);
    const body = await cashShown(cli, 7);
    expect(body.engine.state).not.toBe('error');
    expect(readdirSync(engineDir)).toEqual(['engine.db']);
    // A running engine in that directory is followed too (its -wal and -shm are its own files).
    const engine = await engineRun(db, 8);
    await cashShown(cli, 8);
    await engine.stop();
    expect(filesOwnedBy(engineDir, DASHBOARD_UID)).toEqual([]);
  });
});
