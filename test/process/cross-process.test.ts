import { once } from 'node:events';
import { setTimeout as sleepMs } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { StateWriter } from '../../src/state/index.js';
import { finished, spawnTs } from '../helpers/spawn.js';
import { freshDbPath } from '../helpers/tmp.js';

describe('a second process reading while this one writes', () => {
  for (const flushMs of [0, 10]) {
    it(`sees every final value and no errors (${flushMs ? 'write-behind' : 'direct'} writes)`, async () => {
      const path = freshDbPath();
      const { reports, onError } = {
        reports: [] as string[],
        onError: (e: Error) => reports.push(e.message),
      };
      const writer = StateWriter.open(path, { flushMs, onError });
      writer.update('start', { n: 0 });
      writer.flush();
      const reader = spawnTs('test/fixtures/poll-reader.ts', [path]);
      if (!reader.stdout) throw new Error('reader has no stdout');
      await once(reader.stdout, 'data'); // "ready"
      const result = finished(reader);
      const keys = Array.from({ length: 50 }, (_, i) => `chart_S${i}`);
      for (let round = 1; round <= 200; round++) {
        for (const key of keys) writer.update(key, { round, price: round * 1.5 });
        // Yield now and then so both processes really interleave (and write-behind flushes).
        if (round % 20 === 0) await sleepMs(2);
      }
      writer.update('done', { n: 1 });
      writer.close();
      const { code, stdout } = await result;
      expect(code).toBe(0);
      const report = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}');
      expect(report.errors).toEqual([]);
      expect(report.reads).toBeGreaterThan(1);
      for (const key of keys) expect(report.latest[key]).toEqual({ round: 200, price: 300 });
      expect(reports).toEqual([]);
    });
  }
});
