import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { serveEngine } from '../helpers/cli.js';
import { smallEngineDb } from '../helpers/small-engine.js';

/** A request that must answer within 10 s (a hung one fails the test instead of hanging it). */
const get = (url: string) => fetch(url, { signal: AbortSignal.timeout(10_000) });

/** One SSE stream's first event of a kind, or a timeout. */
async function firstEvent(url: string, kind: string): Promise<string> {
  const res = await get(url);
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let text = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return text;
      text += decoder.decode(value);
      const match = new RegExp(`event: ${kind}\\ndata: (.*)\\n`).exec(text);
      if (match?.[1]) return match[1];
    }
  } finally {
    await reader.cancel();
  }
}

const rssMb = async (url: string) => {
  const text = await (await get(`${url}/metrics`)).text();
  return Number(/^process_resident_memory_bytes (\S+)/m.exec(text)?.[1]) / 1e6;
};

describe('hostile log files (real dashboard process)', () => {
  it('refuses a FIFO configured as a log: viewer, badge, follow and shutdown never hang', async () => {
    const db = smallEngineDb();
    const dir = join(dirname(db), 'logs');
    mkdirSync(dir);
    const fifo = join(dir, 'engine.log');
    execFileSync('mkfifo', [fifo]);
    const plain = join(dir, 'plain.log');
    writeFileSync(plain, 'INFO fine\n');
    const cli = await serveEngine(db, ['--log', `pipe=${fifo}`, '--log', `plain=${plain}`]);
    // More concurrent reads than libuv has threads: one blocked open each would stall all file I/O.
    const answers = await Promise.all(
      Array.from({ length: 8 }, () => get(`${cli.url}/api/v1/monitoring/logs/pipe?lines=10`)),
    );
    for (const res of answers) {
      expect(res.status).toBe(403);
      expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(
        /is a FIFO \(named pipe\), not a regular file; refused/,
      );
    }
    const page = await (await get(`${cli.url}/logs?name=pipe`)).text();
    expect(page).toMatch(/FIFO \(named pipe\), not a regular file; refused/);
    expect((await get(`${cli.url}/logs/download/pipe`)).status).toBe(403);
    expect(await firstEvent(`${cli.url}/logs/stream/pipe`, 'problem')).toMatch(
      /not a regular file/,
    );
    // File I/O is not stalled: the other log, a static file and the page with the badge answer.
    expect((await get(`${cli.url}/api/v1/monitoring/logs/plain`)).status).toBe(200);
    expect((await get(`${cli.url}/static/css/app.css`)).status).toBe(200);
    expect((await get(`${cli.url}/live`)).status).toBe(200);
    const stopped = await cli.stop();
    expect(stopped.code).toBe(0);
    console.log(`shutdown with a FIFO log configured: ${stopped.ms} ms`);
  }, 60_000);

  it('refuses a symlink that leaves the log directory and says why; a link inside it is served', async () => {
    const db = smallEngineDb();
    const dir = join(dirname(db), 'logs');
    mkdirSync(dir);
    writeFileSync(join(dir, 'app.log.1'), 'INFO rotated\n');
    symlinkSync('/etc/passwd', join(dir, 'secret.log'));
    symlinkSync(join(dir, 'app.log.1'), join(dir, 'current.log'));
    const cli = await serveEngine(db, [
      '--log',
      `secret=${join(dir, 'secret.log')}`,
      '--log',
      `current=${join(dir, 'current.log')}`,
    ]);
    const api = await get(`${cli.url}/api/v1/monitoring/logs/secret`);
    expect(api.status).toBe(403);
    const body = await api.text();
    expect(body).toMatch(/is a link to \/etc\/passwd, outside its directory .*; refused/);
    expect(body).not.toContain('root:');
    const page = await (await get(`${cli.url}/logs?name=secret`)).text();
    expect(page).toMatch(/is a link to \/etc\/passwd, outside its directory/);
    expect(page).not.toContain('root:x:');
    const download = await get(`${cli.url}/logs/download/secret`);
    expect(download.status).toBe(403);
    expect(await download.text()).not.toContain('root:');
    const current = await get(`${cli.url}/api/v1/monitoring/logs/current`);
    expect(current.status).toBe(200);
    expect(((await current.json()) as { lines: string[] }).lines).toEqual(['INFO rotated']);
    await cli.stop();
  }, 60_000);

  it('bounds the bytes of lines=5000 on a log of over-long lines, 30 requests at once', async () => {
    const db = smallEngineDb();
    const log = join(dirname(db), 'flat.log');
    // 60 MB in lines of 9,000 bytes: every line over the 8 KiB limit.
    const line = `${'z'.repeat(9000)}\n`;
    writeFileSync(log, line.repeat(Math.ceil(60e6 / line.length)));
    const cli = await serveEngine(db, ['--log', `flat=${log}`]);
    const before = await rssMb(cli.url);
    const sizes = await Promise.all(
      Array.from({ length: 30 }, async () => {
        const res = await get(`${cli.url}/api/v1/monitoring/logs/flat?lines=5000`);
        expect(res.status).toBe(200);
        return (await res.arrayBuffer()).byteLength;
      }),
    );
    const after = await rssMb(cli.url);
    // 2 MiB read per request at most: each answer far below 5,000 × 8 KiB = 40 MiB.
    for (const size of sizes) expect(size).toBeLessThan(6 * 1024 * 1024);
    console.log(
      `30 × lines=5000 of a 60 MB log of 9 kB lines: ${(sizes[0] ?? 0) / 1e6} MB per answer; RSS ${before.toFixed(0)} → ${after.toFixed(0)} MB`,
    );
    await cli.stop();
  }, 120_000);
});
