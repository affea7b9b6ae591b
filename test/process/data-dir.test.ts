import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { StateWriter } from '../../src/state/index.js';
import { startCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

/** An engine database in a directory of its own; returns its path. */
function engineIn(dir: string): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'engine.db');
  const writer = StateWriter.open(path);
  writer.heartbeat();
  writer.close();
  return path;
}

const WARNING = /"level":40.*keeps its files \(tradewatch-history\.db\) in the directory of engine/;

describe("the dashboard's data directory (DESIGN invariant 8)", () => {
  it("warns, naming the engine and --data-dir, when it is the engine's directory", async () => {
    const dir = tempDir();
    const db = engineIn(join(dir, 'engine'));
    const cli = await startCli([
      '--db',
      `main=${db}`,
      '--port',
      '0',
      '--data-dir',
      join(dir, 'engine'),
    ]);
    const warning = cli.lines.find((line) => WARNING.test(line)) ?? '';
    expect(warning).toContain('engine main');
    expect(warning).toContain('--data-dir');
  });

  it('says nothing when the dashboard has a directory of its own', async () => {
    const dir = tempDir();
    const db = engineIn(join(dir, 'engine'));
    const cli = await startCli([
      '--db',
      `main=${db}`,
      '--port',
      '0',
      '--data-dir',
      join(dir, 'dashboard'),
    ]);
    expect(cli.lines.some((line) => WARNING.test(line))).toBe(false);
  });
});
