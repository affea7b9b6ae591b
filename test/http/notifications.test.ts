import { once } from 'node:events';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it, vi } from 'vitest';
import { parseAlertSetting, resolveRules } from '../../src/contract/alert-rules.js';
import { AlertEvaluator } from '../../src/monitor/alerts/evaluator.js';
import { AlertManager } from '../../src/monitor/alerts/manager.js';
import { AlertStore } from '../../src/monitor/alerts/store.js';
import type { Alert } from '../../src/monitor/alerts/types.js';
import { buildChannels, type NotifyConfig } from '../../src/monitor/notify/channels.js';
import { type Delivery, NotificationDispatcher } from '../../src/monitor/notify/dispatcher.js';
import { retryAfterMs } from '../../src/monitor/notify/http-post.js';
import type { Notification } from '../../src/monitor/notify/message.js';
import { Notifier } from '../../src/monitor/notify/notifier.js';
import { OutboxStore } from '../../src/monitor/notify/outbox.js';
import { hostSample } from '../helpers/host-sample.js';
import { closedPortUrl, startReceiver, startSmtp } from '../helpers/receivers.js';
import { freshDbPath } from '../helpers/tmp.js';

const TOKEN = `123456:${'A'.repeat(35)}`;

function config(partial: Partial<NotifyConfig>): NotifyConfig {
  return {
    webhooks: [],
    slack: [],
    discord: [],
    telegram: [],
    telegramApiUrl: 'http://127.0.0.1:9',
    smtpUrl: null,
    smtpFrom: 'tradewatch@test.local',
    emails: [],
    minLevels: {},
    alertmanagers: [],
    instance: 'test-host',
    ...partial,
  };
}

function alert(overrides: Partial<Alert> = {}): Alert {
  return {
    id: 7,
    key: 'stale|main|engine',
    rule: 'stale',
    engine: 'main',
    subject: 'engine',
    level: 'CRITICAL',
    state: 'firing',
    value: null,
    threshold: null,
    message: 'Engine main is stale: no update for 31 s',
    startedAtMs: Date.parse('2026-03-02T10:00:00Z'),
    firedAtMs: Date.parse('2026-03-02T10:00:00Z'),
    resolvedAtMs: null,
    ackedAtMs: null,
    notifiedAtMs: null,
    ...overrides,
  };
}

const firing = (a = alert()): Notification => ({
  event: 'firing',
  alert: a,
  queuedAtMs: Date.now(),
});

/** A dispatcher over a real sidecar file, with fast retries; `settled` waits for a final outcome. */
function dispatcherFor(
  cfg: NotifyConfig,
  options: { maxAttempts?: number; timeoutMs?: number } = {},
  path = join(freshDbPath(), '..', 'side.db'),
) {
  const db = new Database(path);
  const outbox = new OutboxStore(db);
  const dispatcher = new NotificationDispatcher(outbox, buildChannels(cfg), {
    timeoutMs: options.timeoutMs ?? 2000,
    maxAttempts: options.maxAttempts ?? 4,
    baseDelayMs: 20,
  });
  const deliveries: Delivery[] = [];
  dispatcher.on('delivery', (d) => deliveries.push(d));
  const settled = async (count = 1) => {
    while (deliveries.filter((d) => d.outcome !== 'retry').length < count)
      await once(dispatcher, 'delivery');
    return deliveries;
  };
  return { db, outbox, dispatcher, deliveries, settled, path };
}

describe('notification channels against real local receivers', () => {
  it('posts the generic webhook JSON and marks the message sent', async () => {
    const hook = await startReceiver();
    const d = dispatcherFor(config({ webhooks: [`${hook.url}/hook`] }));
    d.dispatcher.start();
    expect(d.dispatcher.enqueue(firing(), () => true)).toBe(1);
    const request = await hook.request(0);
    expect(request.path).toBe('/hook');
    expect(request.headers['content-type']).toBe('application/json');
    expect(request.body).toMatchObject({
      source: 'tradewatch',
      event: 'firing',
      alert: { id: 7, rule: 'stale', engine: 'main', level: 'CRITICAL', state: 'firing' },
    });
    expect((request.body as { title: string }).title).toMatch(/CRITICAL FIRING · main/);
    await d.settled();
    expect(d.outbox.recent(5)[0]).toMatchObject({ status: 'sent', attempts: 1, lastError: null });
    await d.dispatcher.stop();
  });

  it('formats Slack, Discord and Telegram messages their way', async () => {
    const hook = await startReceiver();
    const d = dispatcherFor(
      config({
        slack: [`${hook.url}/slack`],
        discord: [`${hook.url}/discord`],
        telegram: [{ token: TOKEN, chatId: '-1001' }],
        telegramApiUrl: `${hook.url}/tg/`,
      }),
    );
    d.dispatcher.start();
    d.dispatcher.enqueue(firing(alert({ message: 'x'.repeat(5000) })), () => true);
    await d.settled(3);
    const byPath = Object.fromEntries(
      hook.received.map((r) => [r.path, r.body as Record<string, unknown>]),
    );
    expect(String(byPath['/slack']?.text)).toMatch(/^🚨 CRITICAL FIRING/);
    expect(String(byPath['/discord']?.content)).toHaveLength(2000); // Discord's limit
    expect(byPath[`/tg/bot${TOKEN}/sendMessage`]).toMatchObject({
      chat_id: '-1001',
      disable_web_page_preview: true,
    });
    expect(String(byPath[`/tg/bot${TOKEN}/sendMessage`]?.text).length).toBeLessThanOrEqual(4096);
    await d.dispatcher.stop();
  });

  it('retries a receiver that answers 500, then delivers', async () => {
    const hook = await startReceiver((n) =>
      n < 2 ? { status: 500, body: 'oops' } : { status: 204 },
    );
    const d = dispatcherFor(config({ webhooks: [hook.url] }));
    d.dispatcher.start();
    d.dispatcher.enqueue(firing(), () => true);
    const outcomes = (await d.settled()).map((x) => x.outcome);
    expect(outcomes).toEqual(['retry', 'retry', 'sent']);
    expect(d.outbox.recent(1)[0]).toMatchObject({ status: 'sent', attempts: 3 });
    await d.dispatcher.stop();
  });

  it('gives up on a receiver that hangs: each attempt times out, and it is not retried forever', async () => {
    const hook = await startReceiver(() => 'hang');
    const d = dispatcherFor(config({ webhooks: [hook.url] }), { maxAttempts: 3, timeoutMs: 150 });
    d.dispatcher.start();
    d.dispatcher.enqueue(firing(), () => true);
    const deliveries = await d.settled();
    expect(deliveries.map((x) => x.outcome)).toEqual(['retry', 'retry', 'failed']);
    expect(deliveries.at(-1)?.error).toBe('no answer within 150 ms (gave up after 3 attempts)');
    expect(hook.received).toHaveLength(3);
    expect(d.outbox.recent(1)[0]).toMatchObject({ status: 'failed', attempts: 3 });
    await d.dispatcher.stop();
  });

  it('does not retry a request the receiver calls wrong (404), nor a refused connection forever', async () => {
    const hook = await startReceiver(() => ({ status: 404, body: 'no such hook' }));
    const d = dispatcherFor(config({ webhooks: [hook.url, await closedPortUrl()] }), {
      maxAttempts: 2,
    });
    d.dispatcher.start();
    d.dispatcher.enqueue(firing(), () => true);
    const final = (await d.settled(2)).filter((x) => x.outcome === 'failed');
    expect(final.map((x) => x.error).sort()).toEqual([
      'ECONNREFUSED (gave up after 2 attempts)',
      'HTTP 404: no such hook',
    ]);
    expect(hook.received).toHaveLength(1);
    await d.dispatcher.stop();
  });

  it('honours 429 Retry-After', async () => {
    const hook = await startReceiver((n) =>
      n === 0 ? { status: 429, headers: { 'retry-after': '1' } } : { status: 200 },
    );
    const d = dispatcherFor(config({ webhooks: [hook.url] }));
    d.dispatcher.start();
    d.dispatcher.enqueue(firing(), () => true);
    await d.settled();
    const [first, second] = hook.received;
    expect((second?.atMs ?? 0) - (first?.atMs ?? 0)).toBeGreaterThanOrEqual(1000);
    expect(retryAfterMs(null, '{"ok":false,"parameters":{"retry_after":7}}')).toBe(7000);
    expect(retryAfterMs('Wed, 21 Oct 2099 07:28:00 GMT', '', 0)).toBe(15 * 60_000); // capped
    await d.dispatcher.stop();
  });

  it('keeps queued messages across a restart, and fails those for channels removed since', async () => {
    const hook = await startReceiver();
    const first = dispatcherFor(config({ webhooks: [hook.url, 'http://127.0.0.1:9/old'] }));
    // Not started: as if the process died right after queuing.
    first.dispatcher.enqueue(firing(), () => true);
    first.db.close();
    const second = dispatcherFor(config({ webhooks: [hook.url] }), {}, first.path);
    second.dispatcher.start();
    const deliveries = await second.settled(2);
    expect(deliveries.map((x) => `${x.outcome}:${x.error ?? ''}`).sort()).toEqual([
      'failed:channel is no longer configured',
      'sent:',
    ]);
    expect(hook.received).toHaveLength(1);
    await second.dispatcher.stop();
  });

  it('sends mail over SMTP, and records a refused login without retrying it', async () => {
    const smtp = await startSmtp();
    const good = dispatcherFor(
      config({ smtpUrl: `smtp://u:p@127.0.0.1:${smtp.port}`, emails: ['ops@example.com'] }),
    );
    good.dispatcher.start();
    const mail = smtp.next();
    good.dispatcher.enqueue(firing(), () => true);
    const received = await mail;
    expect(received.to).toEqual(['ops@example.com']);
    expect(received.text).toMatch(/Subject: =\?UTF-8\?|Subject: .*CRITICAL FIRING/);
    expect(received.text).toContain('Engine main is stale');
    await good.settled();
    await good.dispatcher.stop();

    const refusing = await startSmtp({ refuseAuth: true });
    const bad = dispatcherFor(
      config({ smtpUrl: `smtp://u:wrong@127.0.0.1:${refusing.port}`, emails: ['ops@example.com'] }),
    );
    bad.dispatcher.start();
    bad.dispatcher.enqueue(firing(), () => true);
    const [failed] = await bad.settled();
    expect(failed).toMatchObject({ outcome: 'failed' });
    expect(failed?.error).toMatch(/EAUTH.*535/);
    expect(refusing.mails).toEqual([]);
    await bad.dispatcher.stop();
  });
});

describe('what gets notified', () => {
  function setup(channelLevels: NotifyConfig['minLevels'], repeatMs = 3_600_000) {
    const path = join(freshDbPath(), '..', 'side.db');
    const db = new Database(path);
    const manager = new AlertManager(
      new AlertStore(db),
      resolveRules(['cpu.for=0', 'disk.for=0'].map(parseAlertSetting)),
    );
    const outbox = new OutboxStore(db);
    const dispatcher = new NotificationDispatcher(
      outbox,
      buildChannels(
        config({
          webhooks: ['http://127.0.0.1:9/a'],
          slack: ['http://127.0.0.1:9/b'],
          minLevels: channelLevels,
        }),
      ),
      { timeoutMs: 100 },
    );
    const notifier = new Notifier(manager, dispatcher, repeatMs);
    const queued = () =>
      outbox
        .recent(100)
        .map(
          (m) => `${m.channel.split(':')[0]}:${m.notification.event}:${m.notification.alert.rule}`,
        )
        .sort();
    return { manager, evaluator: new AlertEvaluator(manager), notifier, queued };
  }

  it('tells each channel what reaches its level: once on firing, once on resolve, never pending', () => {
    const { evaluator, notifier, queued } = setup({ slack: 'ERROR' });
    const t = Date.now();
    evaluator.host(hostSample(t, { cpu: 95, disks: { '/': 99 } }));
    evaluator.host(hostSample(t + 5000, { cpu: 96, disks: { '/': 99 } }));
    expect(queued()).toEqual(['slack:firing:disk', 'webhook:firing:cpu', 'webhook:firing:disk']);
    evaluator.host(hostSample(t + 10_000, { cpu: 10, disks: { '/': 10 } }));
    expect(queued()).toEqual([
      'slack:firing:disk',
      'slack:resolved:disk',
      'webhook:firing:cpu',
      'webhook:firing:disk',
      'webhook:resolved:cpu',
      'webhook:resolved:disk',
    ]);
    notifier.stop();
  });

  it('repeats while firing, and an acknowledgement silences it until resolve', () => {
    const { manager, evaluator, notifier, queued } = setup({}, 60_000);
    const t = Date.now();
    evaluator.host(hostSample(t, { cpu: 95 }));
    notifier.repeat(t + 30_000);
    expect(queued()).toEqual(['slack:firing:cpu', 'webhook:firing:cpu']);
    notifier.repeat(Date.now() + 61_000);
    expect(queued().filter((q) => q.includes('repeat'))).toHaveLength(2);
    manager.ack(manager.active()[0]?.id ?? -1);
    notifier.repeat(Date.now() + 200_000);
    expect(queued().filter((q) => q.includes('repeat'))).toHaveLength(2);
    evaluator.host(hostSample(t + 300_000, { cpu: 5 }));
    expect(queued().filter((q) => q.includes('resolved'))).toHaveLength(2);
    notifier.stop();
  });
});

describe('engine text in chat messages', () => {
  it('escapes mentions and disguised links per service, and tells Discord to ping nobody', async () => {
    const hook = await startReceiver();
    const d = dispatcherFor(
      config({
        slack: [`${hook.url}/slack`],
        discord: [`${hook.url}/discord`],
        telegram: [{ token: TOKEN, chatId: '-1001' }],
        telegramApiUrl: `${hook.url}/tg/`,
      }),
    );
    d.dispatcher.start();
    const hostile =
      '@everyone @here <!channel> <!here> <@U024BE7LH> <@123456789> <@&42> ' +
      '[your bank](https://evil.example/login) <https://evil.example|your bank> @admin /start';
    d.dispatcher.enqueue(firing(alert({ message: hostile, engine: '<!everyone>' })), () => true);
    await d.settled(3);
    const byPath = Object.fromEntries(
      hook.received.map((r) => [r.path, r.body as Record<string, unknown>]),
    );
    const slack = String(byPath['/slack']?.text);
    // Slack parses only <...>: none may survive, & < > become entities.
    expect(slack).not.toMatch(/<[!@#]|<https?:/);
    expect(slack).toContain('&lt;!channel&gt;');
    expect(slack).toContain('&lt;https://evil.example|your bank&gt;');

    const discord = byPath['/discord'] as { content: string; allowed_mentions: unknown };
    expect(discord.allowed_mentions).toEqual({ parse: [] });
    // No unescaped mention, role ping or markdown link is left.
    expect(discord.content).not.toMatch(/(^|[^\\])@(everyone|here)/);
    expect(discord.content).not.toMatch(/(^|[^\\])<@/);
    expect(discord.content).not.toMatch(/(^|[^\\])\[your bank(\\)?\](?!\\)\(/);
    expect(discord.content).toContain('\\[your bank\\]\\(https\\://evil.example/login\\)');

    const telegram = String(byPath[`/tg/bot${TOKEN}/sendMessage`]?.text);
    expect(byPath[`/tg/bot${TOKEN}/sendMessage`]).not.toHaveProperty('parse_mode');
    expect(telegram).not.toMatch(/@admin|\/start/);
    expect(telegram).toContain('@\u2060admin');
    await d.dispatcher.stop();
  });
});

describe('a burst of notifications', () => {
  it('reads each outbox row once per attempt, however many wait (1,000 queued in one go)', async () => {
    const hook = await startReceiver();
    const d = dispatcherFor(config({ webhooks: [`${hook.url}/a`, `${hook.url}/b`] }));
    d.db.pragma('journal_mode = WAL'); // as the sidecar: a commit is not an fsync
    d.db.pragma('synchronous = NORMAL');
    d.dispatcher.start();
    for (let i = 0; i < 500; i++)
      d.dispatcher.enqueue(firing(alert({ id: i, message: `burst ${i}` })), () => true);
    await vi.waitFor(() => expect(hook.received).toHaveLength(1000), {
      timeout: 50_000,
      interval: 20,
    });
    // O(N): one read per attempt. Reloading every pending row per enqueue or attempt was ~750,000.
    expect(d.outbox.rowsRead).toBe(1000);
    // Each channel still sends oldest first.
    const order = hook.received
      .filter((r) => r.path === '/a')
      .map((r) => (r.body as { alert: { id: number } }).alert.id);
    expect(order).toHaveLength(500);
    expect(order).toEqual([...order].sort((a, b) => a - b));
    await d.dispatcher.stop();
  }, 60_000);
});
