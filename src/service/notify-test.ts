import type { Config } from '../config/load.js';
import { buildChannels } from '../monitor/notify/channels.js';
import { testNotification } from '../monitor/notify/message.js';
import { notifyConfig } from './monitoring.js';

/**
 * `tradewatch notify-test`: sends one test message to every configured channel, at once and
 * without the outbox, and reports each result. Exit code 0 when all were delivered, 1 when any
 * failed, 2 when no channel is configured.
 */
export async function notifyTest(config: Config, out: (line: string) => void): Promise<number> {
  const channels = buildChannels(notifyConfig(config));
  if (channels.length === 0) {
    out(
      'No notification channels are configured. Use --notify-webhook, --notify-slack, --notify-discord, --notify-telegram or --smtp-url with --notify-email.',
    );
    return 2;
  }
  const message = testNotification();
  const results = await Promise.all(
    channels.map(async (c) => ({
      channel: c,
      result: await c.send(message, config['notify-timeout']),
    })),
  );
  const width = Math.max(...channels.map((c) => c.label.length));
  for (const { channel, result } of results)
    out(
      `${channel.label.padEnd(width)}  ${result.ok ? `ok      ${result.detail}` : `FAILED  ${result.error}`}`,
    );
  const failed = results.filter((r) => !r.result.ok).length;
  out(
    failed
      ? `${failed} of ${results.length} channels failed.`
      : `All ${results.length} channels reached.`,
  );
  return failed ? 1 : 0;
}
