import { createHash } from 'node:crypto';
import type { ChannelKind } from '../../contract/channel-kinds.js';
import { LEVELS, type Level } from '../../contract/index.js';
import { alertmanagerChannel } from './alertmanager.js';
import { sendEmail } from './email.js';
import { discordText, slackText, telegramText } from './escape.js';
import { postJson, type SendResult } from './http-post.js';
import { body, type Notification, title, webhookPayload } from './message.js';

/** Where notifications go. `id` is stable across restarts (the outbox refers to it). */
export interface Channel {
  id: string;
  kind: ChannelKind;
  /** For pages and logs: never contains a secret (tokens, webhook paths, passwords). */
  label: string;
  minLevel: Level;
  send(n: Notification, timeoutMs: number): Promise<SendResult>;
}

/** The notification settings, as configured. */
export interface NotifyConfig {
  webhooks: readonly string[];
  slack: readonly string[];
  discord: readonly string[];
  telegram: ReadonlyArray<{ token: string; chatId: string }>;
  telegramApiUrl: string;
  smtpUrl: string | null;
  smtpFrom: string;
  emails: readonly string[];
  minLevels: Partial<Record<ChannelKind, Level>>;
  alertmanagers: readonly string[];
  /** The `instance` label of alerts sent to Alertmanager. */
  instance: string;
}

/** Discord rejects content over 2,000 characters; Telegram over 4,096. */
const clip = (text: string, max: number) =>
  text.length > max ? `${text.slice(0, max - 1).replace(/\\$/, '')}…` : text;

export function buildChannels(config: NotifyConfig): Channel[] {
  // Alertmanager routes by severity itself: it gets every level unless told otherwise.
  const level = (kind: ChannelKind) =>
    config.minLevels[kind] ?? (kind === 'alertmanager' ? 'INFO' : 'WARNING');
  const id = (kind: ChannelKind, target: string) =>
    `${kind}:${createHash('sha256').update(target).digest('hex').slice(0, 12)}`;
  const host = (url: string) => new URL(url).host;
  const channels: Channel[] = [];
  const http: Array<[ChannelKind, readonly string[], (n: Notification) => unknown]> = [
    ['webhook', config.webhooks, webhookPayload],
    ['slack', config.slack, (n) => ({ text: slackText(body(n)) })],
    [
      'discord',
      config.discord,
      (n) => ({ content: clip(discordText(body(n)), 2000), allowed_mentions: { parse: [] } }),
    ],
  ];
  for (const [kind, urls, payload] of http)
    for (const url of urls)
      channels.push({
        id: id(kind, url),
        kind,
        label: `${kind} ${host(url)}`,
        minLevel: level(kind),
        send: (n, t) => postJson(url, payload(n), t),
      });
  for (const { token, chatId } of config.telegram) {
    const url = `${config.telegramApiUrl.replace(/\/+$/, '')}/bot${token}/sendMessage`;
    channels.push({
      id: id('telegram', `${token}:${chatId}`),
      kind: 'telegram',
      label: `telegram chat ${chatId}`,
      minLevel: level('telegram'),
      send: (n, t) =>
        postJson(
          url,
          {
            chat_id: chatId,
            text: clip(telegramText(body(n)), 4096),
            disable_web_page_preview: true,
          },
          t,
        ),
    });
  }
  const { smtpUrl } = config;
  if (smtpUrl)
    for (const address of config.emails)
      channels.push({
        id: id('email', address),
        kind: 'email',
        label: `email ${address}`,
        minLevel: level('email'),
        send: (n, t) =>
          sendEmail(
            smtpUrl,
            { from: config.smtpFrom, to: address, subject: title(n), text: body(n) },
            t,
          ),
      });
  for (const url of config.alertmanagers)
    channels.push(
      alertmanagerChannel(id('alertmanager', url), url, config.instance, level('alertmanager')),
    );
  return channels;
}

/** Whether a channel wants an alert of this level. */
export function wants(channel: Channel, level: Level): boolean {
  return LEVELS.indexOf(level) >= LEVELS.indexOf(channel.minLevel);
}
