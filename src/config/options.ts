import { hostTimeZone, isValidTimeZone } from '../contract/index.js';
import { parseDuration } from '../util/duration.js';

/**
 * Every dashboard setting, described once: the flag, its environment variable, its default,
 * how a text value is checked and converted, and its help line. Flags, environment and config
 * file all go through the same `parse`, so they accept the same values and fail the same way.
 */
export interface OptionSpec<T = unknown> {
  /** Flag name without dashes; also the config file key. */
  name: string;
  env: string;
  /** Value placeholder for --help. */
  meta: string;
  help: string;
  repeatable?: boolean;
  default: () => T;
  /** Converts one value; throws an Error whose message says what is expected. */
  parse: (text: string) => T extends Array<infer E> ? E : T;
}

export interface NamedPath {
  name: string;
  path: string;
}

const NAME_PATTERN = /^[A-Za-z0-9_.-]{1,40}$/;

function integerIn(min: number, max: number) {
  return (text: string): number => {
    const value = Number(text);
    if (!/^\s*-?\d+\s*$/.test(text) || value < min || value > max) {
      throw new Error(`expected a whole number from ${min} to ${max}, got ${JSON.stringify(text)}`);
    }
    return value;
  };
}

function durationIn(minMs: number, maxMs: number, defaultUnit: 'ms' | 's') {
  return (text: string): number => {
    const ms = parseDuration(text, defaultUnit);
    if (ms === null || ms < minMs || ms > maxMs) {
      throw new Error(
        `expected a duration from ${describeMs(minMs)} to ${describeMs(maxMs)} (a number of ${defaultUnit === 'ms' ? 'milliseconds' : 'seconds'}, or like 30s, 5m, 24h), got ${JSON.stringify(text)}`,
      );
    }
    return ms;
  };
}

function describeMs(ms: number): string {
  if (ms % 86_400_000 === 0) return `${ms / 86_400_000}d`;
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}

/** `name=path`, or a bare path named after its file (`data/engine.db` → `engine`). */
export function parseNamedPath(text: string): NamedPath {
  const eq = text.indexOf('=');
  const [name, path] = eq > 0 ? [text.slice(0, eq), text.slice(eq + 1)] : [baseName(text), text];
  if (!path) throw new Error(`expected PATH or NAME=PATH, got ${JSON.stringify(text)}`);
  if (!NAME_PATTERN.test(name)) {
    throw new Error(`name ${JSON.stringify(name)} must be 1-40 letters, digits, '.', '_' or '-'`);
  }
  return { name, path };
}

function baseName(path: string): string {
  const file = path.split(/[\\/]/).pop() ?? path;
  return file.replace(/\.(db|sqlite3?|log)$/i, '') || file;
}

export const OPTIONS = {
  db: {
    name: 'db',
    env: 'TRADEWATCH_DB',
    meta: '[NAME=]PATH',
    help: 'engine database to watch; repeat for several engines (default data/engine.db)',
    repeatable: true,
    default: (): NamedPath[] => [{ name: 'engine', path: 'data/engine.db' }],
    parse: parseNamedPath,
  },
  host: {
    name: 'host',
    env: 'TRADEWATCH_HOST',
    meta: 'ADDRESS',
    help: 'address to listen on (default 127.0.0.1: this machine only)',
    default: () => '127.0.0.1',
    parse: (text: string) => {
      if (!/^[A-Za-z0-9.:[\]-]+$/.test(text))
        throw new Error(`expected a host name or IP address, got ${JSON.stringify(text)}`);
      return text;
    },
  },
  port: {
    name: 'port',
    env: 'TRADEWATCH_PORT',
    meta: 'N',
    help: 'TCP port (default 5003; 0 picks a free port)',
    default: () => 5003,
    parse: integerIn(0, 65535),
  },
  'poll-ms': {
    name: 'poll-ms',
    env: 'TRADEWATCH_POLL_MS',
    meta: 'MS',
    help: 'how often each engine database is checked for changes (default 1000)',
    default: () => 1000,
    parse: durationIn(50, 60_000, 'ms'),
  },
  'data-dir': {
    name: 'data-dir',
    env: 'TRADEWATCH_DATA_DIR',
    meta: 'DIR',
    help: "the dashboard's own files: history and alerts database (default ./data)",
    default: () => 'data',
    parse: (text: string) => {
      if (!text.trim()) throw new Error('expected a directory path');
      return text;
    },
  },
  'stale-after': {
    name: 'stale-after',
    env: 'TRADEWATCH_STALE_AFTER',
    meta: 'SECONDS',
    help: 'an engine with no update for this long is stale (default 30)',
    default: () => 30_000,
    parse: durationIn(1000, 86_400_000, 's'),
  },
  retention: {
    name: 'retention',
    env: 'TRADEWATCH_RETENTION',
    meta: 'DURATION',
    help: 'how long chart history is kept (default 24h)',
    default: () => 24 * 3_600_000,
    parse: durationIn(60_000, 366 * 86_400_000, 's'),
  },
  tz: {
    name: 'tz',
    env: 'TRADEWATCH_TZ',
    meta: 'ZONE',
    help: "IANA time zone of the engine host, for naive timestamps and 'today' (default: this host's)",
    default: () => hostTimeZone(),
    parse: (text: string) => {
      if (!isValidTimeZone(text))
        throw new Error(
          `unknown time zone ${JSON.stringify(text)}; use an IANA name like Asia/Tokyo`,
        );
      return text;
    },
  },
  log: {
    name: 'log',
    env: 'TRADEWATCH_LOG',
    meta: 'NAME=PATH',
    help: 'engine log file for the log viewer',
    repeatable: true,
    default: (): NamedPath[] => [],
    parse: parseNamedPath,
  },
} as const;

export type OptionName = keyof typeof OPTIONS;
