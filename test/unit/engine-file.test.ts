import { chownSync, lstatSync, readdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openEngineFile, sidecarsMadeHere } from '../../src/reader/engine-file.js';
import { freshDbPath } from '../helpers/tmp.js';

const ENGINE_UID = 4242; // the tests run as root: the engine's file is given to another user

/** A WAL engine that stopped cleanly: only the main file is left. */
function stoppedWalEngine(): string {
  const path = freshDbPath();
  const engine = new Database(path);
  engine.pragma('journal_mode = WAL');
  engine.exec('CREATE TABLE live_status (key TEXT PRIMARY KEY, value TEXT)');
  engine.close();
  return path;
}

/**
 * The race of review item 6, its outcome made directly: this process's read-only connection made
 * -wal/-shm beside an engine database of another user (the engine unlinked its own right after
 * the presence check). As root SQLite gives new files the database's owner, so the database is
 * handed to the engine's user only after the connection made them as this process's user.
 */
function sidecarsMadeByThisProcess(): string {
  const path = stoppedWalEngine();
  const reader = new Database(path, { readonly: true, fileMustExist: true });
  reader.pragma('user_version');
  reader.close();
  chownSync(path, ENGINE_UID, ENGINE_UID);
  expect(readdirSync(dirname(path)).sort()).toEqual([
    'engine.db',
    'engine.db-shm',
    'engine.db-wal',
  ]);
  return path;
}

const ids = (path: string) =>
  ['-wal', '-shm'].map((suffix) => {
    const stat = lstatSync(path + suffix);
    return `${stat.dev}:${stat.ino}`;
  });

describe('openEngineFile: the engine directory belongs to the engine', () => {
  it('counts -wal/-shm as made here when they appeared since the check, are ours, and the database is not', () => {
    const path = sidecarsMadeByThisProcess();
    expect(sidecarsMadeHere(path, [null, null])).toEqual([`${path}-wal`, `${path}-shm`]);
  });

  it('never counts files that were already there at the check: a running engine keeps its WAL', () => {
    const path = sidecarsMadeByThisProcess();
    expect(sidecarsMadeHere(path, ids(path))).toEqual([]);
  });

  it("never counts the engine's own -wal/-shm, nor any when the database is this process's user's", () => {
    const path = sidecarsMadeByThisProcess();
    for (const suffix of ['-wal', '-shm']) chownSync(path + suffix, ENGINE_UID, ENGINE_UID);
    expect(sidecarsMadeHere(path, [null, null])).toEqual([]);
    const own = stoppedWalEngine();
    const reader = new Database(own, { readonly: true });
    reader.pragma('user_version');
    expect(sidecarsMadeHere(own, [null, null])).toEqual([]);
    reader.close();
  });

  it('reads a stopped engine from a copy and leaves only its database in the directory', () => {
    const path = stoppedWalEngine();
    chownSync(path, ENGINE_UID, ENGINE_UID);
    const { db, copy } = openEngineFile(path, 100);
    expect(copy).toBe(true);
    expect(db.pragma('user_version', { simple: true })).toBe(0);
    db.close();
    expect(readdirSync(dirname(path))).toEqual(['engine.db']);
  });
});
