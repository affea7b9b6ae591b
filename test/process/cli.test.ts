import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { StateWriter } from '../../src/state/index.js';
import { listeningUrl, startCli } from '../helpers/cli.js';
import { startReceiver, startSmtp } from '../helpers/receivers.js';
import { finished, spawnTs } from '../helpers/spawn.js';
import { freshDbPath } from '../helpers/tmp.js';

const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

describe('tradewatch CLI (real process)', () => {
  it('logs only JSON lines on stdout, the first with the real listening URL, and stops on SIGTERM within 2 s', async () => {
    const path = freshDbPath();
    const writer = StateWriter.open(path);
    writer.heartbeat();
    writer.close();
    const cli = await startCli([
      '--db',
      `main=${path}`,
      '--port',
      '0',
      '--data-dir',
      join(path, '..'),
    ]);
    expect(listeningUrl(cli.lines[0] ?? '')).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(cli.url).not.toMatch(/:0$/);
    const health = await fetch(`${cli.url}/healthz`);
    expect(await health.text()).toBe('ok\n');
    await expect.poll(() => cli.lines.length).toBeGreaterThan(1);
    // One format: every stdout line is a pino JSON record (stdout is not a terminal here).
    for (const line of cli.lines) expect(JSON.parse(line)).toHaveProperty('level');
    const { code, ms } = await cli.stop();
    expect(code).toBe(0);
    expect(ms).toBeLessThan(2000);
  });

  it('exits with code 2 and names the flag for a bad value', async () => {
    const result = await finished(spawnTs('src/cli.ts', ['--poll-ms', 'often']));
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^tradewatch: --poll-ms: expected a duration/);
    const env = await finished(spawnTs('src/cli.ts', [], { TRADEWATCH_PORT: '99999' }));
    expect(env.code).toBe(2);
    expect(env.stderr).toMatch(/TRADEWATCH_PORT: expected a whole number from 0 to 65535/);
  });

  it('prints --help and --version', async () => {
    const help = await finished(spawnTs('src/cli.ts', ['--help']));
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/--stale-after SECONDS +TRADEWATCH_STALE_AFTER/);
    expect(help.stdout).toMatch(/--alert RULE\[\.PARAM\]=VALUE +TRADEWATCH_ALERT/);
    expect(help.stdout).toMatch(/--log-level LEVEL +TRADEWATCH_LOG_LEVEL/);
    const version = await finished(spawnTs('src/cli.ts', ['--version']));
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('exits with code 2 and one clear line for an unknown TRADEWATCH_LOG_LEVEL', async () => {
    const result = await finished(spawnTs('src/cli.ts', [], { TRADEWATCH_LOG_LEVEL: 'loud' }));
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /^tradewatch: TRADEWATCH_LOG_LEVEL: expected one of fatal, error, warn, info, debug, trace, silent, got "loud"\n/,
    );
    expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('prints the help of hash-password itself for hash-password --help', async () => {
    const result = await finished(spawnTs('src/cli.ts', ['hash-password', '--help']));
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^usage: tradewatch hash-password < password-file\n/);
    expect(result.stdout).not.toContain('--stale-after');
  });

  it('applies flags over environment over the config file', async () => {
    const a = freshDbPath('a.db');
    const b = freshDbPath('b.db');
    const config = join(a, '..', 'tw.yaml');
    writeFileSync(config, `db:\n  - fromfile=${a}\nport: 1\nstale-after: 99\n`);
    const cli = await startCli(['--config', config, '--port', '0'], {
      TRADEWATCH_DB: `fromenv=${b}`,
      TRADEWATCH_STALE_AFTER: '42',
    });
    const engines = await (await fetch(`${cli.url}/api/v1/engines`)).json();
    expect(engines.engines.map((e: { name: string }) => e.name)).toEqual(['fromenv']);
    expect(cli.url).not.toMatch(/:1$/);
    await cli.stop();
  });

  it('waits for an engine that starts later, then shows it live, answering all along', async () => {
    const path = freshDbPath();
    const cli = await startCli(['--db', `late=${path}`, '--port', '0', '--poll-ms', '100']);
    const engineHealth = async () => (await fetch(`${cli.url}/health/engine`)).status;
    expect(await engineHealth()).toBe(503);
    const writer = StateWriter.open(path);
    writer.heartbeat();
    await expect.poll(engineHealth, { timeout: 5000 }).toBe(200);
    writer.close();
    await cli.stop();
  });

  it('leaves the engine database byte-for-byte unchanged after a dashboard session', async () => {
    const path = freshDbPath();
    const writer = StateWriter.open(path);
    writer.summary({ cash: 1 });
    writer.symbol('EURUSD', { price: 1.1, position_size: 1 });
    writer.recordTrade({ symbol: 'EURUSD', side: 'long', pnl: 1 });
    writer.close();
    expect(existsSync(`${path}-wal`)).toBe(false);
    const before = sha256(path);
    const cli = await startCli(['--db', path, '--port', '0', '--poll-ms', '50']);
    for (const endpoint of [
      '/api/live/status',
      '/api/v1/state',
      '/api/v1/trades',
      '/metrics',
      '/health',
    ]) {
      expect((await fetch(cli.url + endpoint)).status).toBe(200);
    }
    await expect
      .poll(
        async () =>
          (await (await fetch(`${cli.url}/metrics`)).text()).match(
            /tradewatch_polls_total\{engine="engine"\} (\d+)/,
          )?.[1],
        { timeout: 5000 },
      )
      .toMatch(/^([5-9]|\d\d+)$/);
    await cli.stop();
    expect(sha256(path)).toBe(before);
  });
});

describe('tradewatch notify-test', () => {
  it('sends one test message per channel and reports each result', async () => {
    const good = await startReceiver();
    const bad = await startReceiver(() => ({ status: 403, body: 'invalid token' }));
    const smtp = await startSmtp();
    const mail = smtp.next();
    const run = await finished(
      spawnTs('src/cli.ts', [
        'notify-test',
        '--notify-slack',
        `${good.url}/slack`,
        '--notify-telegram',
        `123456:${'B'.repeat(35)}:42`,
        '--telegram-api-url',
        bad.url,
        '--smtp-url',
        `smtp://127.0.0.1:${smtp.port}`,
        '--notify-email',
        'ops@example.com',
      ]),
    );
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^slack 127\.0\.0\.1:\d+ +ok +HTTP 200$/m);
    expect(run.stdout).toMatch(/^telegram chat 42 +FAILED +HTTP 403: invalid token$/m);
    expect(run.stdout).toMatch(/^email ops@example\.com +ok +250/m);
    expect(run.stdout).toContain('1 of 3 channels failed.');
    expect(good.received[0]?.body).toMatchObject({
      text: expect.stringMatching(/tradewatch test message/),
    });
    expect((await mail).to).toEqual(['ops@example.com']);
  });

  it('says so when no channel is configured', async () => {
    const run = await finished(spawnTs('src/cli.ts', ['notify-test']));
    expect(run.code).toBe(2);
    expect(run.stdout).toMatch(/No notification channels are configured/);
  });
});
