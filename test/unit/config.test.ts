import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, helpText, loadConfig } from '../../src/config/load.js';
import { OPTIONS } from '../../src/config/options.js';
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
  ];
  for (const [name, argv, env, message] of bad) {
    it(`rejects ${name}, naming the source`, () => {
      expect(() => loadConfig(argv, env)).toThrow(ConfigError);
      expect(() => loadConfig(argv, env)).toThrow(message);
    });
  }

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
    for (const spec of Object.values(OPTIONS)) {
      expect(help).toContain(`--${spec.name} `);
      expect(help).toContain(spec.env);
    }
  });
});
