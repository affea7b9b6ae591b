import { describe, expect, it } from 'vitest';
import { terminalLine } from '../../src/service/log-output.js';

describe('terminalLine (stdout on a terminal)', () => {
  it('shows time, level, message and the extra fields of a pino record, without the routine ones', () => {
    const time = new Date(2025, 7, 1, 9, 30, 15, 123).getTime(); // local time, as shown
    const json = JSON.stringify({
      level: 40,
      time,
      pid: 42,
      hostname: 'box',
      service: 'tradewatch',
      engine: 'live',
      state: { ok: false },
      msg: 'engine is stale',
    });
    expect(terminalLine(json)).toBe(
      '09:30:15.123 WARN  engine is stale engine=live state={"ok":false}\n',
    );
  });

  it("puts an error's stack under its line, indented", () => {
    const json = JSON.stringify({
      level: 50,
      time: 0,
      msg: 'tick failed',
      err: { type: 'Error', message: 'boom', stack: 'Error: boom\n    at tick (poller.js:1:1)' },
    });
    expect(terminalLine(json)).toMatch(/ERROR tick failed\n {2}Error: boom\n {6}at tick/);
  });

  it('passes a line that is not JSON through unchanged', () => {
    expect(terminalLine('not json\n')).toBe('not json\n');
  });
});
