import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { parse as parseYaml } from 'yaml';
import { resolveRules } from '../contract/alert-rules.js';
import { OPTIONS, type OptionName, type OptionSpec } from './options.js';

/** The resolved settings, keyed by flag name. */
export type Config = { [K in OptionName]: ReturnType<(typeof OPTIONS)[K]['default']> };

/** A setting that cannot be used; `source` names the flag, variable or file key at fault. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    readonly source: string,
    message: string,
  ) {
    super(`${source}: ${message}`);
  }
}

export interface ParsedCommandLine {
  command: string;
  help: boolean;
  version: boolean;
  config: Config;
}

const SPECS = Object.values(OPTIONS) as OptionSpec[];

/**
 * Resolves settings with the precedence flags > `TRADEWATCH_*` environment > `--config` file >
 * defaults. A repeatable option takes its whole list from the highest source that sets it.
 * Environment lists are comma-separated. Throws ConfigError naming the culprit.
 */
export function loadConfig(argv: string[], env: NodeJS.ProcessEnv): ParsedCommandLine {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        ...Object.fromEntries(
          SPECS.filter((s) => !s.noFlag).map((s) => [
            s.name,
            s.switch
              ? { type: 'boolean' as const }
              : { type: 'string' as const, multiple: s.repeatable === true },
          ]),
        ),
        config: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
      },
    });
  } catch (error) {
    throw new ConfigError('command line', (error as Error).message);
  }
  const flags = parsed.values as Record<string, string | string[] | boolean | undefined>;
  const [command = 'serve', ...extra] = parsed.positionals;
  if (extra.length > 0)
    throw new ConfigError('command line', `unexpected argument ${JSON.stringify(extra[0])}`);

  const configPath = (flags.config as string | undefined) ?? env.TRADEWATCH_CONFIG;
  const file = configPath ? readConfigFile(configPath) : {};
  const config = {} as Record<string, unknown>;
  for (const spec of SPECS) {
    const flag = flags[spec.name] as string | string[] | boolean | undefined;
    const fromFlag = typeof flag === 'boolean' ? String(flag) : flag;
    const fromEnv = env[spec.env];
    const fromFile = file[spec.name];
    if (fromFlag !== undefined && !(Array.isArray(fromFlag) && fromFlag.length === 0)) {
      config[spec.name] = convert(spec, toList(fromFlag), `--${spec.name}`);
    } else if (fromEnv !== undefined && fromEnv !== '') {
      const values = spec.repeatable
        ? fromEnv
            .split(',')
            .map((v) => v.trim())
            .filter(Boolean)
        : [fromEnv];
      config[spec.name] = convert(spec, values, spec.env);
    } else if (fromFile !== undefined) {
      config[spec.name] = convert(
        spec,
        fileValues(spec, fromFile, configPath ?? ''),
        `${configPath}: ${spec.name}`,
      );
    } else {
      config[spec.name] = spec.default();
    }
  }
  for (const key of ['db', 'log'] as const)
    checkUniqueNames(config[key] as Array<{ name: string }>, `--${key}`);
  checkCombinations(config as Config);
  return {
    command,
    help: flags.help === true,
    version: flags.version === true,
    config: config as Config,
  };
}

function toList(value: string | string[]): string[] {
  return Array.isArray(value) ? value : [value];
}

function convert(spec: OptionSpec, values: string[], source: string): unknown {
  try {
    const converted = values.map((v) => spec.parse(v));
    return spec.repeatable ? converted : converted[converted.length - 1];
  } catch (error) {
    throw new ConfigError(source, (error as Error).message);
  }
}

function fileValues(spec: OptionSpec, value: unknown, path: string): string[] {
  const list = Array.isArray(value) ? value : [value];
  if (!spec.repeatable && list.length !== 1)
    throw new ConfigError(`${path}: ${spec.name}`, 'expected a single value, got a list');
  return list.map((item) => {
    if (typeof item === 'string' || typeof item === 'number' || typeof item === 'boolean')
      return String(item);
    throw new ConfigError(
      `${path}: ${spec.name}`,
      `expected a string or number, got ${JSON.stringify(item)}`,
    );
  });
}

/** Reads a JSON (`.json`) or YAML (anything else) file of `flag-name: value` pairs. */
function readConfigFile(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(
      `--config ${path}`,
      `cannot read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
  let data: unknown;
  try {
    data = path.toLowerCase().endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw new ConfigError(
      `--config ${path}`,
      `not valid ${path.endsWith('.json') ? 'JSON' : 'YAML'}: ${(error as Error).message.split('\n')[0]}`,
    );
  }
  if (data === null || data === undefined) return {};
  if (typeof data !== 'object' || Array.isArray(data))
    throw new ConfigError(`--config ${path}`, 'expected a mapping of setting names to values');
  const known = new Set(SPECS.map((s) => s.name));
  for (const key of Object.keys(data)) {
    const refused = SPECS.find((s) => s.name === key)?.noFile;
    if (refused)
      throw new ConfigError(
        `${path}: ${key}`,
        `a plain password does not belong in a file; ${refused.instead}`,
      );
    if (!known.has(key))
      throw new ConfigError(
        `--config ${path}`,
        `unknown setting ${JSON.stringify(key)}; known: ${[...known].join(', ')}`,
      );
  }
  return data as Record<string, unknown>;
}

/** Settings that are each valid but do not fit together. */
function checkCombinations(config: Config): void {
  try {
    resolveRules(config.alert);
  } catch (error) {
    throw new ConfigError('--alert', (error as Error).message);
  }
  if (config['notify-email'].length > 0 && config['smtp-url'] === null)
    throw new ConfigError('--notify-email', 'needs --smtp-url, the mail server to send through');
  checkAccess(config);
}

/** Whether an address only this machine can reach. */
export function isLoopback(host: string): boolean {
  return (
    /^127\.\d+\.\d+\.\d+$/.test(host) || host === '::1' || host === '[::1]' || host === 'localhost'
  );
}

/** Authentication must be whole, and a LAN address needs it (or an explicit, loud opt-out). */
function checkAccess(config: Config): void {
  const password = config['auth-password'] ?? config['auth-password-hash'];
  if (config['auth-user'] !== null && password === null)
    throw new ConfigError(
      '--auth-user',
      'needs a password: set TRADEWATCH_AUTH_PASSWORD, or auth-password-hash in the config file (make one with `tradewatch hash-password`)',
    );
  if (config['auth-user'] === null && password !== null)
    throw new ConfigError('TRADEWATCH_AUTH_PASSWORD', 'a password needs --auth-user');
  if ((config['tls-cert'] === null) !== (config['tls-key'] === null))
    throw new ConfigError(
      config['tls-cert'] ? '--tls-key' : '--tls-cert',
      'HTTPS needs both --tls-cert and --tls-key',
    );
  const authenticated = config['auth-user'] !== null || config['auth-token'] !== null;
  if (!isLoopback(config.host) && !authenticated && !config['insecure-no-auth'])
    throw new ConfigError(
      '--host',
      `${config.host} is reachable from the network, and the dashboard shows a trading account: ` +
        'set --auth-user (password in TRADEWATCH_AUTH_PASSWORD) and/or --auth-token TOKEN, ' +
        'or pass --insecure-no-auth if everyone who can reach it may see it',
    );
}

function checkUniqueNames(entries: Array<{ name: string }>, source: string): void {
  const seen = new Set<string>();
  for (const { name } of entries) {
    if (seen.has(name))
      throw new ConfigError(
        source,
        `the name ${JSON.stringify(name)} is used twice; give each one a name with NAME=PATH`,
      );
    seen.add(name);
  }
}

/** The --help text, generated from the option table so it can never miss a flag. */
export function helpText(version: string): string {
  const rows = SPECS.map((s) => [
    s.noFlag ? `(no flag) ${s.meta}` : s.switch ? `--${s.name}` : `--${s.name} ${s.meta}`,
    s.env,
    `${s.help}${s.repeatable ? ' [repeatable]' : ''}`,
  ]);
  rows.push([
    '--config FILE',
    'TRADEWATCH_CONFIG',
    'JSON or YAML file of setting: value pairs (keys are the flag names)',
  ]);
  const width = Math.max(...rows.map((r) => (r[0] ?? '').length));
  const envWidth = Math.max(...rows.map((r) => (r[1] ?? '').length));
  return [
    `tradewatch ${version} — live monitor for trading engines (read-only dashboard)`,
    '',
    'usage: tradewatch [serve] [options]      run the dashboard',
    '       tradewatch notify-test [options]  send a test message to every notification channel',
    '       tradewatch hash-password < file   a password (on stdin) as auth-password-hash',
    '',
    'Precedence: flags > environment > config file > defaults. Repeatable options take a',
    'comma-separated list in the environment.',
    '',
    ...rows.map(
      ([flag, env, help]) =>
        `  ${(flag ?? '').padEnd(width)}  ${(env ?? '').padEnd(envWidth)}  ${help}`,
    ),
    `  ${'--help, -h'.padEnd(width)}  ${''.padEnd(envWidth)}  this text`,
    `  ${'--version, -v'.padEnd(width)}  ${''.padEnd(envWidth)}  the version`,
    '',
  ].join('\n');
}
