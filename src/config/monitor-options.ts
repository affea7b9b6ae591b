import { hostname } from 'node:os';
import { type AlertSetting, parseAlertSetting, RULE_IDS } from '../contract/alert-rules.js';
import { CHANNEL_KINDS, type ChannelKind } from '../contract/channel-kinds.js';
import { LEVELS, type Level } from '../contract/index.js';
import { durationIn, parseEmail, parseTelegram, urlWith } from './parsers.js';

const httpUrl = urlWith('http', 'https');

function parseLevelFor(text: string): { kind: ChannelKind; level: Level } {
  const [kind = '', level = ''] = text.split('=');
  if (!(CHANNEL_KINDS as readonly string[]).includes(kind))
    throw new Error(
      `expected KIND=LEVEL with KIND one of ${CHANNEL_KINDS.join(', ')}, got ${JSON.stringify(text)}`,
    );
  if (!(LEVELS as readonly string[]).includes(level.toUpperCase()))
    throw new Error(`level must be one of ${LEVELS.join(', ')}, got ${JSON.stringify(level)}`);
  return { kind: kind as ChannelKind, level: level.toUpperCase() as Level };
}

/** Host metrics, alert rules and notification channels (see OPTIONS for the format). */
export const MONITOR_OPTIONS = {
  'system-interval': {
    name: 'system-interval',
    env: 'TRADEWATCH_SYSTEM_INTERVAL',
    meta: 'DURATION',
    help: 'how often host CPU, memory, disk and network are sampled (default 5s)',
    default: () => 5000,
    parse: durationIn(1000, 3_600_000, 's'),
  },
  'disk-mount': {
    name: 'disk-mount',
    env: 'TRADEWATCH_DISK_MOUNT',
    meta: 'PATH',
    help: 'mount point whose disk use is watched (default: every real filesystem)',
    repeatable: true,
    default: (): string[] => [],
    parse: (text: string) => {
      if (!text.startsWith('/') && !/^[A-Za-z]:/.test(text))
        throw new Error(`expected a mount point like / or /data, got ${JSON.stringify(text)}`);
      return text;
    },
  },
  alert: {
    name: 'alert',
    env: 'TRADEWATCH_ALERT',
    meta: 'RULE[.PARAM]=VALUE',
    help: `tune a rule: cpu=90, cpu.clear=75, cpu.for=2m, disk.level=CRITICAL, broker=off (rules: ${RULE_IDS.join(', ')})`,
    repeatable: true,
    default: (): AlertSetting[] => [],
    parse: parseAlertSetting,
  },
  'notify-webhook': {
    name: 'notify-webhook',
    env: 'TRADEWATCH_NOTIFY_WEBHOOK',
    meta: 'URL',
    help: 'POST a JSON message to this URL on firing and resolve',
    repeatable: true,
    default: (): string[] => [],
    parse: httpUrl,
  },
  'notify-slack': {
    name: 'notify-slack',
    env: 'TRADEWATCH_NOTIFY_SLACK',
    meta: 'URL',
    help: 'Slack incoming-webhook URL',
    repeatable: true,
    default: (): string[] => [],
    parse: httpUrl,
  },
  'notify-discord': {
    name: 'notify-discord',
    env: 'TRADEWATCH_NOTIFY_DISCORD',
    meta: 'URL',
    help: 'Discord webhook URL',
    repeatable: true,
    default: (): string[] => [],
    parse: httpUrl,
  },
  'notify-telegram': {
    name: 'notify-telegram',
    env: 'TRADEWATCH_NOTIFY_TELEGRAM',
    meta: 'TOKEN:CHAT',
    help: 'Telegram bot token and chat id',
    repeatable: true,
    default: (): Array<{ token: string; chatId: string }> => [],
    parse: parseTelegram,
  },
  'telegram-api-url': {
    name: 'telegram-api-url',
    env: 'TRADEWATCH_TELEGRAM_API_URL',
    meta: 'URL',
    help: 'Telegram Bot API base URL (default https://api.telegram.org)',
    default: () => 'https://api.telegram.org',
    parse: httpUrl,
  },
  'smtp-url': {
    name: 'smtp-url',
    env: 'TRADEWATCH_SMTP_URL',
    meta: 'URL',
    help: 'mail server for --notify-email: smtp://user:pass@host:587 or smtps://...:465',
    default: (): string | null => null,
    parse: urlWith('smtp', 'smtps'),
  },
  'smtp-from': {
    name: 'smtp-from',
    env: 'TRADEWATCH_SMTP_FROM',
    meta: 'ADDRESS',
    help: 'sender address of alert mail (default tradewatch@<this host>)',
    default: () => `tradewatch@${hostname()}`,
    parse: parseEmail,
  },
  'notify-email': {
    name: 'notify-email',
    env: 'TRADEWATCH_NOTIFY_EMAIL',
    meta: 'ADDRESS',
    help: 'mail alerts to this address (needs --smtp-url)',
    repeatable: true,
    default: (): string[] => [],
    parse: parseEmail,
  },
  'notify-level': {
    name: 'notify-level',
    env: 'TRADEWATCH_NOTIFY_LEVEL',
    meta: 'KIND=LEVEL',
    help: `lowest level a kind of channel receives, e.g. email=CRITICAL (default WARNING; kinds: ${CHANNEL_KINDS.join(', ')})`,
    repeatable: true,
    default: (): Array<{ kind: ChannelKind; level: Level }> => [],
    parse: parseLevelFor,
  },
  'notify-repeat': {
    name: 'notify-repeat',
    env: 'TRADEWATCH_NOTIFY_REPEAT',
    meta: 'DURATION',
    help: 'repeat a notification while its alert keeps firing unacknowledged (default 1h; 0 = never)',
    default: () => 3_600_000,
    parse: durationIn(0, 7 * 86_400_000, 's'),
  },
  'notify-timeout': {
    name: 'notify-timeout',
    env: 'TRADEWATCH_NOTIFY_TIMEOUT',
    meta: 'DURATION',
    help: 'how long one delivery attempt may take (default 10s)',
    default: () => 10_000,
    parse: durationIn(100, 120_000, 's'),
  },
} as const;
