import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { watchDatabaseFile } from '../../src/reader/file-watch.js';
import { EnginePoller } from '../../src/reader/poller.js';
import { scriptedWriter } from '../helpers/scripted-writer.js';
import { freshDbPath } from '../helpers/tmp.js';

/** Resolves once `condition()` holds, polling it; rejects after `ms`. */
async function eventually(condition: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

function watched(path: string) {
  let calls = 0;
  const watch = watchDatabaseFile(path, () => calls++);
  onTestFinished(() => watch.close());
  return { watch, calls: () => calls };
}

describe('watchDatabaseFile', () => {
  it('reports changes of the database and its WAL, and not of other files beside it', async () => {
    const path = freshDbPath();
    const { calls } = watched(path);
    writeFileSync(join(path, '..', 'other.txt'), 'x');
    writeFileSync(`${path}-shm`, 'x'); // a reader's shared memory changes: not a commit
    await new Promise((r) => setTimeout(r, 100)); // a negative: nothing to wait for
    expect(calls()).toBe(0);
    writeFileSync(`${path}-wal`, 'x');
    await eventually(() => calls() === 1);
    writeFileSync(path, 'x');
    await eventually(() => calls() === 2);
  });

  it('follows a database that is deleted, created again and replaced by a rename', async () => {
    const path = freshDbPath();
    const { calls } = watched(path);
    writeFileSync(path, 'a');
    await eventually(() => calls() >= 1);
    rmSync(path);
    await eventually(() => calls() >= 2);
    const before = calls();
    writeFileSync(`${path}.new`, 'b');
    renameSync(`${path}.new`, path);
    await eventually(() => calls() > before);
    const again = calls();
    writeFileSync(path, 'c');
    await eventually(() => calls() > again);
  });

  it('coalesces a burst of writes into a few wake-ups', async () => {
    const path = freshDbPath();
    const { calls } = watched(path);
    for (let i = 0; i < 500; i++) writeFileSync(`${path}-wal`, String(i));
    await eventually(() => calls() >= 1);
    await new Promise((r) => setTimeout(r, 100)); // let any late notification arrive
    expect(calls()).toBeLessThanOrEqual(3);
  });

  it('is not armed while the directory is missing, and arms on rearm() once it exists', async () => {
    const dir = join(freshDbPath(), '..', 'later');
    const path = join(dir, 'engine.db');
    const { watch, calls } = watched(path);
    expect(watch.armed).toBe(false);
    mkdirSync(dir);
    watch.rearm();
    expect(watch.armed).toBe(true);
    writeFileSync(path, 'x');
    await eventually(() => calls() === 1);
  });

  it('watches a directory that was removed and made again after rearm()', async () => {
    const dir = join(freshDbPath(), '..', 'engine-dir');
    const path = join(dir, 'engine.db');
    mkdirSync(dir);
    const { watch, calls } = watched(path);
    rmSync(dir, { recursive: true });
    await eventually(() => !watch.armed);
    mkdirSync(dir);
    watch.rearm();
    expect(watch.armed).toBe(true);
    const before = calls();
    writeFileSync(path, 'x');
    await eventually(() => calls() > before);
  });

  it('stops reporting once closed', async () => {
    const path = freshDbPath();
    const { watch, calls } = watched(path);
    watch.close();
    writeFileSync(path, 'x');
    await new Promise((r) => setTimeout(r, 100)); // a negative: nothing to wait for
    expect(calls()).toBe(0);
    expect(watch.armed).toBe(false);
  });
});

describe('EnginePoller with watching', () => {
  /** An engine process that has written equity 1, and a started poller whose timed poll is a minute away. */
  async function engineAndPoller(watch: boolean) {
    const path = freshDbPath();
    const engine = scriptedWriter(path);
    await engine.call('summary', { cash: 1, value: 1 });
    const poller = new EnginePoller({
      name: 'main',
      path,
      pollMs: 60_000,
      staleAfterMs: 30_000,
      timeZone: 'UTC',
      watch,
    });
    onTestFinished(() => poller.stop());
    poller.start();
    return { engine, poller };
  }

  it('reads a commit by another process long before its timed poll', async () => {
    const { engine, poller } = await engineAndPoller(true);
    expect(poller.snapshot.summary?.equity).toBe(1);
    await engine.call('summary', { cash: 1, value: 2 });
    await eventually(() => poller.snapshot.summary?.equity === 2);
  });

  it('notices nothing before its timed poll with watching off', async () => {
    const { engine, poller } = await engineAndPoller(false);
    await engine.call('summary', { cash: 1, value: 2 });
    await new Promise((r) => setTimeout(r, 300)); // a negative: nothing to wait for
    expect(poller.snapshot.summary?.equity).toBe(1);
    expect(poller.reads).toBe(1);
  });
});
