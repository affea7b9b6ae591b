import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, helpText, loadConfig } from '../../src/config/load.js';
import { OPTIONS, type OptionSpec } from '../../src/config/options.js';
import { resolveRules } from '../../src/contract/alert-rules.js';
import { tempDir } from '../helpers/tmp.js';

describe('loadConfig', () => {
  const dir = tempDir();
  const yamlFile = join(dir, 'tradewatch.yaml');
  writeFileSync(
    yamlFile,
    'port: 6000\npoll-ms: 250\nstale-after: 2m\ndb:\n  - live=/srv/live.db\n  - paper=/srv/paper.db\ntz: Asia/Tokyo\n',
  );

  it('has the documented defaults', () => {
    const { command, config } = loadConfig([], {});
    expect(command).toBe('serve');
    expect(config).toMatchObject({
      host: '127.0.0.1',
      port: 5003,
      'poll-ms': 1000,
      'data-dir': 'data',
      'stale-after': 30_000,
      db: [{ name: 'engine', path: 'data/engine.db' }],
      log: [],
    });
  });

  it('takes flags over environment over config file over defaults', () => {
    const env = { TRADEWATCH_PORT: '7000', TRADEWATCH_POLL_MS: '500', TRADEWATCH_CONFIG: yamlFile };
    const { config } = loadConfig(['--port', '8000'], env);
    expect(config.port).toBe(8000); // flag
    expect(config['poll-ms']).toBe(500); // environment
    expect(config['stale-after']).toBe(120_000); // file
    expect(config.tz).toBe('Asia/Tokyo'); // file
    expect(config.host).toBe('127.0.0.1'); // default
  });

  it('takes a repeatable option whole from the highest source', () => {
    expect(loadConfig(['--config', yamlFile], {}).config.db).toEqual([
      { name: 'live', path: '/srv/live.db' },
      { name: 'paper', path: '/srv/paper.db' },
    ]);
    expect(
      loadConfig(['--config', yamlFile], { TRADEWATCH_DB: 'a=/a.db, /b/beta.sqlite' }).config.db,
    ).toEqual([
      { name: 'a', path: '/a.db' },
      { name: 'beta', path: '/b/beta.sqlite' },
    ]);
    expect(
      loadConfig(['--config', yamlFile, '--db', 'x.db', '--db', 'y=z.db'], {}).config.db,
    ).toEqual([
      { name: 'x', path: 'x.db' },
      { name: 'y', path: 'z.db' },
    ]);
  });

  it('reads JSON config files', () => {
    const file = join(dir, 'c.json');
    writeFileSync(file, JSON.stringify({ port: 0, log: ['trading=/var/log/t.log'] }));
    expect(loadConfig(['--config', file], {}).config).toMatchObject({
      port: 0,
      log: [{ name: 'trading', path: '/var/log/t.log' }],
    });
  });

  const bad: Array<[string, string[], NodeJS.ProcessEnv, RegExp]> = [
    [
      'a port out of range',
      ['--port', '70000'],
      {},
      /^--port: expected a whole number from 0 to 65535, got "70000"$/,
    ],
    ['a non-numeric port', ['--port', 'http'], {}, /^--port: /],
    [
      'a bad environment value',
      [],
      { TRADEWATCH_POLL_MS: 'fast' },
      /^TRADEWATCH_POLL_MS: expected a duration/,
    ],
    ['a poll interval too short', ['--poll-ms', '1'], {}, /^--poll-ms: /],
    ['an unknown time zone', ['--tz', 'Mars/Base'], {}, /^--tz: unknown time zone "Mars\/Base"/],
    ['an unknown flag', ['--prot', '1'], {}, /^command line: Unknown option '--prot'/],
    ['a bad engine name', ['--db', 'my engine=/x.db'], {}, /^--db: name "my engine" must be/],
    [
      'the same engine name twice',
      ['--db', 'a=/1.db', '--db', 'a=/2.db'],
      {},
      /^--db: the name "a" is used twice/,
    ],
    ['a log without a path', ['--log', 'trading='], {}, /^--log: expected PATH or NAME=PATH/],
    [
      'a missing config file',
      ['--config', '/nonexistent/x.yaml'],
      {},
      /^--config \/nonexistent\/x\.yaml: cannot read: ENOENT$/,
    ],
    ['a stray argument', ['serve', 'now'], {}, /^command line: unexpected argument "now"$/],
    [
      'a CPU threshold over 100 %',
      ['--alert', 'cpu=120'],
      {},
      /^--alert: cpu takes a number from 0 to 100/,
    ],
    [
      'an unknown rule',
      ['--alert', 'gpu=50'],
      {},
      /^--alert: unknown rule "gpu"; rules: cpu, memory/,
    ],
    [
      'a setting a rule lacks',
      ['--alert', 'broker.clear=3'],
      {},
      /^--alert: rule broker has no setting "clear"/,
    ],
    [
      'a malformed duration',
      ['--alert', 'cpu.for=soon'],
      {},
      /^--alert: cpu\.for must be a duration/,
    ],
    [
      'a clear value on the wrong side',
      ['--alert', 'cpu.clear=95'],
      {},
      /^--alert: cpu\.clear \(95\) must be at or below its threshold \(80\)/,
    ],
    [
      'a margin clear value below its threshold',
      ['--alert', 'margin.clear=100'],
      {},
      /^--alert: margin\.clear \(100\) must be at or above/,
    ],
    [
      'a webhook that is not http',
      ['--notify-webhook', 'ftp://x/y'],
      {},
      /^--notify-webhook: expected a http or https URL/,
    ],
    [
      'a webhook that is not a URL',
      ['--notify-webhook', 'hooks.example'],
      {},
      /^--notify-webhook: expected a URL/,
    ],
    [
      'a malformed Telegram target',
      ['--notify-telegram', '12345'],
      {},
      /^--notify-telegram: expected BOT_TOKEN:CHAT_ID/,
    ],
    [
      'mail without a server',
      ['--notify-email', 'ops@example.com'],
      {},
      /^--notify-email: needs --smtp-url/,
    ],
    [
      'an SMTP URL of another scheme',
      ['--smtp-url', 'http://mail'],
      {},
      /^--smtp-url: expected a smtp or smtps URL/,
    ],
    [
      'an unknown channel kind',
      ['--notify-level', 'pager=ERROR'],
      {},
      /^--notify-level: expected KIND=LEVEL/,
    ],
    [
      'an unknown level',
      ['--notify-level', 'email=LOUD'],
      {},
      /^--notify-level: level must be one of INFO/,
    ],
    [
      'a sampling interval under 1 s',
      ['--system-interval', '100ms'],
      {},
      /^--system-interval: expected a duration from 1s/,
    ],
    [
      'an environment rule list with a bad item',
      [],
      { TRADEWATCH_ALERT: 'cpu=90,disk=x' },
      /^TRADEWATCH_ALERT: disk takes a number/,
    ],
  ];
  for (const [name, argv, env, message] of bad) {
    it(`rejects ${name}, naming the source`, () => {
      expect(() => loadConfig(argv, env)).toThrow(ConfigError);
      expect(() => loadConfig(argv, env)).toThrow(message);
    });
  }

  it('reads alert rules and channels from flags, environment and file alike', () => {
    const { config } = loadConfig(
      [
        '--alert',
        'cpu=90',
        '--alert',
        'broker=off',
        '--notify-telegram',
        `123456:${'A'.repeat(35)}:-1001`,
      ],
      { TRADEWATCH_NOTIFY_LEVEL: 'email=CRITICAL,webhook=INFO' },
    );
    const rules = resolveRules(config.alert);
    expect(rules.cpu).toMatchObject({ threshold: 90, clear: 80, enabled: true }); // clear moved along
    expect(rules.broker.enabled).toBe(false);
    expect(config['notify-telegram']).toEqual([
      { token: `123456:${'A'.repeat(35)}`, chatId: '-1001' },
    ]);
    expect(config['notify-level']).toEqual([
      { kind: 'email', level: 'CRITICAL' },
      { kind: 'webhook', level: 'INFO' },
    ]);
    expect(config['notify-repeat']).toBe(3_600_000);
  });

  it('rejects config files that are malformed, not a mapping, or have unknown keys', () => {
    const cases: Array<[string, string, RegExp]> = [
      ['broken.json', '{"port": ', /not valid JSON/],
      ['list.yaml', '- 1\n- 2\n', /expected a mapping/],
      ['typo.yaml', 'prot: 5000\n', /unknown setting "prot"/],
      ['nested.yaml', 'port:\n  a: 1\n', /port: expected a string or number/],
      ['badvalue.yaml', 'port: -5\n', /badvalue\.yaml: port: expected a whole number/],
    ];
    for (const [file, text, message] of cases) {
      const path = join(dir, file);
      writeFileSync(path, text);
      expect(() => loadConfig(['--config', path], {}), file).toThrow(message);
    }
  });

  it('documents every option with its environment variable in --help', () => {
    const help = helpText('1.2.3');
    for (const spec of Object.values(OPTIONS) as OptionSpec[]) {
      if (!spec.noFlag) expect(help).toContain(spec.switch ? `--${spec.name}` : `--${spec.name} `);
      expect(help).toContain(spec.env);
    }
    expect(help).not.toContain('--auth-password'); // secrets are never flags
  });

  it('documents every option with its environment variable in docs/operations.md', () => {
    const ops = readFileSync(join(import.meta.dirname, '../../docs/operations.md'), 'utf8');
    for (const spec of Object.values(OPTIONS) as OptionSpec[]) expect(ops).toContain(spec.env);
  });

  it('loads the example tradewatch.yaml of docs/operations.md as written', () => {
    const ops = readFileSync(join(import.meta.dirname, '../../docs/operations.md'), 'utf8');
    const example = /Example `tradewatch\.yaml`:\n\n```yaml\n([\s\S]*?)```/.exec(ops)?.[1];
    expect(example).toBeDefined();
    const path = join(dir, 'documented.yaml');
    writeFileSync(path, example ?? '');
    const { config } = loadConfig(['--config', path], {});
    expect(config.db.map((d) => d.name)).toEqual(['live', 'paper']);
    expect(config['notify-telegram']).toHaveLength(1);
  });

  it('takes the log level as a setting, and refuses an unknown one', () => {
    expect(loadConfig([], { TRADEWATCH_LOG_LEVEL: 'WARN' }).config['log-level']).toBe('warn');
    expect(() => loadConfig([], { TRADEWATCH_LOG_LEVEL: 'loud' })).toThrow(
      /^TRADEWATCH_LOG_LEVEL: expected one of fatal, error, warn, info, debug, trace, silent, got "loud"$/,
    );
  });

  it('refuses a plain auth-password in the config file and names the hash to use instead', () => {
    const path = join(dir, 'plain-password.yaml');
    writeFileSync(path, 'auth-user: ops\nauth-password: correct horse battery\n');
    expect(() => loadConfig(['--config', path], {})).toThrow(
      /plain-password\.yaml: auth-password: a plain password does not belong in a file; put its hash in auth-password-hash/,
    );
    // The environment still takes it.
    const { config } = loadConfig(['--auth-user', 'ops'], {
      TRADEWATCH_AUTH_PASSWORD: 'correct horse battery',
    });
    expect(config['auth-password']).toBe('correct horse battery');
  });
});
