import { describe, expect, it } from 'vitest';
import { finished, spawnTs } from '../helpers/spawn.js';
import { freshDbPath } from '../helpers/tmp.js';
import { readEvents, readStatus } from '../helpers/writer.js';

describe('write-behind in a real process', () => {
  for (const mode of ['exit', 'return']) {
    it(`flushes pending writes when the process ends (${mode === 'exit' ? 'process.exit' : 'event loop drains'})`, async () => {
      const path = freshDbPath();
      const result = await finished(
        spawnTs('test/fixtures/write-behind-then-exit.ts', [path, mode]),
      );
      expect(result).toMatchObject({ code: 0, stderr: '' });
      expect(readStatus(path).summary?.value).toEqual({ cash: 123 });
      expect(readEvents(path).map((e) => e.symbol)).toEqual(['EURUSD']);
    });
  }
});
