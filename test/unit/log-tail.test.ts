import { appendFileSync, renameSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { LogTailError } from '../../src/contract/log-tail-error.js';
import { levelOf, tailFile } from '../../src/monitor/log-tail.js';
import { appOver } from '../helpers/app.js';
import { freshDbPath, tempDir } from '../helpers/tmp.js';

describe('tailFile', () => {
  const dir = tempDir();

  it('returns the last lines of a large file without reading all of it', async () => {
    const path = join(dir, 'big.log');
    const line = (i: number) => `2025-08-01 09:30:15,123 - INFO - line ${i} ${'x'.repeat(80)}\n`;
    writeFileSync(path, Array.from({ length: 200_000 }, (_, i) => line(i)).join('')); // ~20 MB
    const tail = await tailFile(path, 3);
    expect(tail.lines.map((l) => l.text.split(' ').slice(5, 7).join(' '))).toEqual([
      'line 199997',
      'line 199998',
      'line 199999',
    ]);
    expect(tail.totalLines).toBeNull(); // too big to count cheaply
    expect(tail.size).toBeGreaterThan(19_000_000);
  });

  it('follows truncation and rotation, counts small files, and keeps a last line without newline', async () => {
    const path = join(dir, 'rot.log');
    writeFileSync(path, 'a\nb\nc');
    expect(await tailFile(path, 10)).toMatchObject({
      lines: [{ text: 'a' }, { text: 'b' }, { text: 'c' }],
      totalLines: 3,
    });
    truncateSync(path, 0);
    appendFileSync(path, 'fresh\n');
    expect((await tailFile(path, 10)).lines.map((l) => l.text)).toEqual(['fresh']);
    renameSync(path, `${path}.1`);
    writeFileSync(path, 'rotated\n');
    expect((await tailFile(path, 10)).lines.map((l) => l.text)).toEqual(['rotated']);
  });

  it('cuts very long lines with a marker and replaces invalid UTF-8', async () => {
    const path = join(dir, 'long.log');
    writeFileSync(
      path,
      Buffer.concat([
        Buffer.from(`${'y'.repeat(20_000)}\nbad `),
        Buffer.from([0xff, 0xfe]),
        Buffer.from(' bytes\n'),
      ]),
    );
    const [long, bad] = (await tailFile(path, 2, 100)).lines;
    expect(long).toMatchObject({ cut: true, text: `${'y'.repeat(100)} … [line cut: 20000 bytes]` });
    expect(bad?.text).toBe('bad \ufffd\ufffd bytes');
  });

  it('refuses binary files and reports missing ones clearly', async () => {
    const path = join(dir, 'bin.log');
    writeFileSync(path, Buffer.alloc(4096, 0));
    await expect(tailFile(path, 5)).rejects.toMatchObject({ code: 'binary' });
    await expect(tailFile(join(dir, 'nope.log'), 5)).rejects.toBeInstanceOf(LogTailError);
    await expect(tailFile(join(dir, 'nope.log'), 5)).rejects.toMatchObject({
      code: 'missing',
      message: expect.stringMatching(/does not exist/),
    });
  });

  it('recognises JSON, Python logging and plain level tokens', () => {
    expect(levelOf('{"level":50,"msg":"x"}')).toBe('ERROR');
    expect(levelOf('{"level":"warn","msg":"x"}')).toBe('WARNING');
    expect(levelOf('2025-08-01 09:30:15,123 - CRITICAL - margin call')).toBe('CRITICAL');
    expect(levelOf('[WARN] slow order gateway')).toBe('WARNING');
    expect(levelOf('nothing to see')).toBeNull();
  });
});

describe('GET /api/v1/monitoring/logs/:name', () => {
  const dir = tempDir();

  it('serves configured logs only, with bounded line counts and clear errors', async () => {
    const trading = join(dir, 'trading.log');
    writeFileSync(
      trading,
      '2025-08-01 09:30:15,123 - INFO - opened\n<script>alert(1)</script> ERROR\n',
    );
    const { app } = appOver([{ name: 'main', path: freshDbPath() }], {
      trading,
      missing: join(dir, 'missing.log'),
    });
    const res = await request(app).get('/api/v1/monitoring/logs/trading?lines=1').expect(200);
    expect(res.body).toMatchObject({
      name: 'trading',
      lines: ['<script>alert(1)</script> ERROR'],
      entries: [{ level: 'ERROR' }],
      total_lines: 2,
    });
    expect(
      (await request(app).get('/api/v1/monitoring/logs/..%2F..%2Fetc%2Fpasswd').expect(404)).body
        .error.code,
    ).toBe('unknown_log');
    expect(
      (await request(app).get('/api/v1/monitoring/logs/missing').expect(404)).body.error.code,
    ).toBe('log_missing');
    await request(app).get('/api/v1/monitoring/logs/trading?lines=0').expect(400);
    await request(app).get('/api/v1/monitoring/logs/trading?lines=99999').expect(400);
    await request(app).get('/api/v1/monitoring/logs/trading?path=/etc/passwd').expect(400);
  });
});
