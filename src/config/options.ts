import { hostname } from 'node:os';
import { hostTimeZone, isValidTimeZone } from '../contract/index.js';
import { ACCESS_OPTIONS, parseSwitch } from './access-options.js';
import { MONITOR_OPTIONS } from './monitor-options.js';
import { durationIn, integerIn, type NamedPath, parseNamedPath, urlWith } from './parsers.js';

/** pino's levels, most severe first; `silent` logs nothing. */
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
type LogLevel = (typeof LOG_LEVELS)[number];

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
  /** A flag without a value (`--insecure-no-auth`); environment and file take true/false. */
  switch?: boolean;
  /** A secret: environment or config file only, never a flag (flags show in `ps`). */
  noFlag?: boolean;
  /** A plain secret: never in a config file either (files get copied); `instead` says what to use. */
  noFile?: { instead: string };
  default: () => T;
  /** Converts one value; throws an Error whose message says what is expected. */
  parse: (text: string) => T extends Array<infer E> ? E : T;
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
  'no-watch': {
    name: 'no-watch',
    env: 'TRADEWATCH_NO_WATCH',
    meta: '',
    help: 'do not watch engine files for changes: only the --poll-ms timer notices writes',
    switch: true,
    default: () => false,
    parse: parseSwitch,
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
    help: "an engine whose file has not changed for this long (on this dashboard's clock) is stale (default 30)",
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
  clock: {
    name: 'clock',
    env: 'TRADEWATCH_CLOCK',
    meta: '24h|12h',
    help: 'how times of day read on pages, charts and in alert texts (default 24h)',
    default: (): '24h' | '12h' => '24h',
    parse: (text: string): '24h' | '12h' => {
      const value = text.trim().toLowerCase();
      if (value !== '24h' && value !== '12h')
        throw new Error(`must be 24h or 12h, got ${JSON.stringify(text)}`);
      return value;
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
  'alertmanager-url': {
    name: 'alertmanager-url',
    env: 'TRADEWATCH_ALERTMANAGER_URL',
    meta: 'URL',
    help: "push every alert's firing and resolve to this Alertmanager (API v2); repeat for an HA pair",
    repeatable: true,
    default: (): string[] => [],
    parse: urlWith('http', 'https'),
  },
  instance: {
    name: 'instance',
    env: 'TRADEWATCH_INSTANCE',
    meta: 'NAME',
    help: "this dashboard's `instance` label on alerts sent to Alertmanager (default: the host name)",
    default: () => hostname(),
    parse: (text: string) => {
      if (!/^[\w.:[\]-]{1,128}$/.test(text))
        throw new Error(`expected a host name like trading-box-1, got ${JSON.stringify(text)}`);
      return text;
    },
  },
  'log-level': {
    name: 'log-level',
    env: 'TRADEWATCH_LOG_LEVEL',
    meta: 'LEVEL',
    help: `the dashboard's own log detail: ${LOG_LEVELS.join(', ')} (default info)`,
    default: (): LogLevel => 'info',
    parse: (text: string): LogLevel => {
      const level = text.trim().toLowerCase();
      if (!(LOG_LEVELS as readonly string[]).includes(level))
        throw new Error(`expected one of ${LOG_LEVELS.join(', ')}, got ${JSON.stringify(text)}`);
      return level as LogLevel;
    },
  },
  ...MONITOR_OPTIONS,
  ...ACCESS_OPTIONS,
} as const;

export type { NamedPath };
export type OptionName = keyof typeof OPTIONS;
