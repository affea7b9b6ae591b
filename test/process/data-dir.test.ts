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

/** The dashboard's log up to its "dashboard started" line, which comes after the warning. */
async function logUntilStarted(dataDir: string, db: string): Promise<string[]> {
  const cli = await startCli(['--db', `main=${db}`, '--port', '0', '--data-dir', dataDir]);
  const deadline = Date.now() + 10_000;
  while (!cli.lines.some((line) => line.includes('"dashboard started"'))) {
    if (Date.now() > deadline)
      throw new Error(`no "dashboard started" line: ${cli.lines.join('\n')}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  return cli.lines;
}

describe("the dashboard's data directory (DESIGN invariant 8)", () => {
  it("warns, naming the engine and --data-dir, when it is the engine's directory", async () => {
    const dir = tempDir();
    const db = engineIn(join(dir, 'engine'));
    const lines = await logUntilStarted(join(dir, 'engine'), db);
    const warning = lines.find((line) => WARNING.test(line)) ?? '';
    expect(warning).toContain('engine main');
    expect(warning).toContain('--data-dir');
  });

  it('says nothing when the dashboard has a directory of its own', async () => {
    const dir = tempDir();
    const db = engineIn(join(dir, 'engine'));
    const lines = await logUntilStarted(join(dir, 'dashboard'), db);
    expect(lines.some((line) => WARNING.test(line))).toBe(false);
  });
});
