import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, onTestFinished } from 'vitest';

function makeDir(): string {
  return mkdtempSync(join(tmpdir(), 'tradewatch-test-'));
}

/** A temporary folder for a `describe` block (call it there), removed after the block. */
export function tempDir(): string {
  const dir = makeDir();
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A database path in a folder of its own, for one test (call it inside the test). */
export function freshDbPath(name = 'engine.db'): string {
  const dir = makeDir();
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return join(dir, name);
}
