import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { StateWriter } from '../../src/state/index.js';
import { serveEngine } from '../helpers/cli.js';
import { writePythonDesignDb } from '../helpers/engine-files.js';
import { followSse } from '../helpers/sse-client.js';
import { tempDir } from '../helpers/tmp.js';

/** Engine text that, if a CR ended an SSE line, would set fields of the stream. */
const INJECT = (line: string) =>
  `x${line}retry: 999999${line}event: header${line}id: 666${line}data: ENGINE OK – all systems normal${line}${line}`;
const LIVE_PANELS = [
  'header',
  'account',
  'positions',
  'alerts',
  'stats',
  'performance',
  'watch',
  'trades',
  'charts',
];

describe('engine strings on the live streams', () => {
  const dir = tempDir();

  async function evilEngine() {
    const db = join(dir, `engine-${Math.random().toString(36).slice(2)}.db`);
    const writer = StateWriter.open(db, { strict: true });
    writer.summary({ cash: 1000, value: 1000, currency: 'USD' });
    writer.heartbeat({ version: INJECT('\r') });
    writer.event('alert', 'ERROR', INJECT('\r'));
    writer.close();
    // Our writer refuses control characters in keys; a foreign writer (docs/schema.md) need not.
    writePythonDesignDb(db, {
      [`chart_${INJECT('\r')}`]: '{"price": 1, "position_size": 1}',
      [`chart_${INJECT('\r\n')}`]: '{"price": 2, "position_size": 0}',
      [`chart_${INJECT('\n')}`]: '{"price": 3, "position_size": 0}',
      [`chart_u${INJECT('\u2028')}`]: '{"price": 4, "position_size": 0}',
    });
    return serveEngine(db, ['--poll-ms', '100']);
  }

  it('cannot add events, ids or a retry time to a page stream: a CR in a version or symbol stays data', async () => {
    const cli = await evilEngine();
    const sse = await followSse(`${cli.url}/live/stream/live?engine=main`);
    await sse.until((e) => e.type === 'watch' && e.data.includes('all systems normal'));
    await sse.until((e) => e.type === 'header' && e.data.includes('all systems normal'));
    expect(sse.retries).toEqual([2000]);
    expect(sse.events.every((e) => e.lastEventId === '')).toBe(true);
    for (const event of sse.events)
      expect([...LIVE_PANELS, 'meta', 'points']).toContain(event.type);
    // Every header event is the real panel, not the engine's text standing in for it.
    for (const event of sse.events.filter((e) => e.type === 'header'))
      expect(event.data).toContain('class="engine-head"');
    await cli.stop();
  });

  it('keeps every event of a shared stream one JSON line, whatever the engine wrote', async () => {
    const cli = await evilEngine();
    const tag = 'live?engine=main';
    const sse = await followSse(`${cli.url}/live/stream?sub=${encodeURIComponent(tag)}`);
    const positions = await sse.until(
      (e) => e.type === 'panel' && e.data.includes('"p":"positions"'),
    );
    expect((JSON.parse(positions.data) as { h: string }).h).toContain(
      'x\rretry: 999999\revent: header',
    );
    await sse.until((e) => e.type === 'meta');
    expect(sse.retries).toEqual([2000]);
    for (const event of sse.events) {
      expect(['panel', 'meta', 'points']).toContain(event.type);
      expect(event.data).not.toMatch(/[\r\n]/);
      expect((JSON.parse(event.data) as { s: string }).s).toBe(tag);
    }
    await cli.stop();
  });
});
