import { appendFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type FollowEvent, LogFollower } from '../../src/monitor/log-follow.js';
import { freshDbPath } from '../helpers/tmp.js';

/** A follower whose checks the test runs itself (its timer interval is an hour). */
async function follow(path: string) {
  const follower = new LogFollower(path, 3_600_000, 64);
  const events: FollowEvent[] = [];
  const ready = new Promise<void>((resolve) => {
    follower.subscribe((e) => {
      if (e.kind === 'ready') resolve();
      else events.push(e);
    });
  });
  await ready;
  return {
    events,
    async check() {
      events.length = 0;
      await follower.check();
      return [...events];
    },
  };
}

describe('LogFollower', () => {
  it('reports only new complete lines, waits for the end of a partial one, and cuts long ones', async () => {
    const path = `${freshDbPath()}.log`;
    writeFileSync(path, 'before\n');
    const f = await follow(path);
    appendFileSync(path, 'WARNING one\ntwo wi');
    expect(await f.check()).toEqual([
      { kind: 'lines', lines: [{ text: 'WARNING one', level: 'WARNING', cut: false }] },
    ]);
    appendFileSync(path, `th more\n${'x'.repeat(100)}\n`);
    const [event] = await f.check();
    expect(event?.kind === 'lines' && event.lines.map((l) => [l.text.slice(0, 20), l.cut])).toEqual(
      [
        ['two with more', false],
        ['xxxxxxxxxxxxxxxxxxxx', true],
      ],
    );
    expect(await f.check()).toEqual([]); // nothing new
  });

  it('restarts from the new tail after truncation, and says so once when the file goes missing', async () => {
    const path = `${freshDbPath()}.log`;
    writeFileSync(path, 'a\nb\nc\n');
    const f = await follow(path);
    truncateSync(path, 0);
    appendFileSync(path, 'z\n');
    expect(await f.check()).toEqual([
      {
        kind: 'reset',
        reason: 'the file was truncated',
        lines: [{ text: 'z', level: null, cut: false }],
      },
    ]);
    rmSync(path);
    expect(await f.check()).toEqual([
      { kind: 'problem', message: `log file ${path} does not exist (yet)` },
    ]);
    expect(await f.check()).toEqual([]); // not repeated
    writeFileSync(path, 'back\n');
    expect((await f.check())[0]).toMatchObject({ kind: 'reset', lines: [{ text: 'back' }] });
  });

  it('refuses binary data appended to a log, and shows invalid UTF-8 as replacement characters', async () => {
    const path = `${freshDbPath()}.log`;
    writeFileSync(path, '');
    const f = await follow(path);
    appendFileSync(path, Buffer.from([0x00, 0x01, 0x02, 0x00, 0x0a]));
    expect(await f.check()).toEqual([
      { kind: 'problem', message: `log file ${path}: binary data was appended; not shown` },
    ]);
    appendFileSync(path, Buffer.from([0x6f, 0x6b, 0xff, 0x0a]));
    expect(await f.check()).toEqual([
      { kind: 'lines', lines: [{ text: 'ok\ufffd', level: null, cut: false }] },
    ]);
  });
});

describe('LogFollower against a writer that never ends its line', () => {
  it('cuts the line with a marker once it outgrows the limit, skips the rest of it, and goes on after its newline', async () => {
    const path = `${freshDbPath()}.log`;
    writeFileSync(path, 'before\n');
    const f = await follow(path); // 64-byte line limit
    const seen: string[] = [];
    for (let i = 0; i < 50; i++) {
      appendFileSync(path, 'y'.repeat(1000)); // 50 kB, no newline
      for (const e of await f.check())
        if (e.kind === 'lines') seen.push(...e.lines.map((l) => l.text));
    }
    // Cut before any newline arrived: the partial line did not grow with the writer.
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatch(/^y{64} … \[line cut: over 64 bytes without a newline\]$/);
    appendFileSync(path, 'still the same line\nERROR next\n');
    const [event] = await f.check();
    expect(event).toEqual({
      kind: 'lines',
      lines: [{ text: 'ERROR next', level: 'ERROR', cut: false }],
    });
  });
});
