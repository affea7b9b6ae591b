import { once } from 'node:events';
import Database from 'better-sqlite3';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { resolveRules } from '../../src/contract/alert-rules.js';
import { AlertManager } from '../../src/monitor/alerts/manager.js';
import { AlertStore } from '../../src/monitor/alerts/store.js';
import type { Observation } from '../../src/monitor/alerts/types.js';
import { AlertmanagerRefresher, alertsEndpoint } from '../../src/monitor/notify/alertmanager.js';
import { buildChannels } from '../../src/monitor/notify/channels.js';
import { type Delivery, NotificationDispatcher } from '../../src/monitor/notify/dispatcher.js';
import { Notifier } from '../../src/monitor/notify/notifier.js';
import { OutboxStore } from '../../src/monitor/notify/outbox.js';
import { notifyConfig } from '../../src/service/monitoring.js';
import { startReceiver } from '../helpers/receivers.js';

const SCOPE = { engine: 'main', rules: ['engine-alert'] as const };
const margin: Observation = {
  rule: 'engine-alert',
  engine: 'main',
  subject: 'margin',
  value: null,
  message: 'margin call on EURUSD',
  level: 'ERROR',
};

/** Real alert manager, outbox, dispatcher and notifier over an in-memory sidecar. */
function pipeline(urls: string[], instance = 'box-a') {
  const db = new Database(':memory:');
  const alerts = new AlertManager(new AlertStore(db), resolveRules([]));
  const { config } = loadConfig(
    [...urls.flatMap((u) => ['--alertmanager-url', u]), '--instance', instance],
    {},
  );
  const channels = buildChannels(notifyConfig(config));
  const dispatcher = new NotificationDispatcher(new OutboxStore(db), channels, {
    timeoutMs: 2000,
    baseDelayMs: 20,
  });
  const notifier = new Notifier(alerts, dispatcher, 0);
  const deliveries: Delivery[] = [];
  dispatcher.on('delivery', (d) => deliveries.push(d));
  const failures: string[] = [];
  const refresher = new AlertmanagerRefresher(
    alerts,
    urls.map((url, i) => ({ url, channel: channels[i] as (typeof channels)[number] })),
    instance,
    { timeoutMs: 2000, onFailure: (label, error) => failures.push(`${label}: ${error}`) },
  );
  dispatcher.start();
  const stop = async () => {
    notifier.stop();
    await Promise.all([dispatcher.stop(), refresher.stop()]);
  };
  return { alerts, dispatcher, refresher, deliveries, failures, stop };
}

describe('Alertmanager (API v2) as a notification channel', () => {
  it('accepts a base URL or the full endpoint', () => {
    expect(alertsEndpoint('http://am:9093')).toBe('http://am:9093/api/v2/alerts');
    expect(alertsEndpoint('http://am:9093/sub/')).toBe('http://am:9093/sub/api/v2/alerts');
    expect(alertsEndpoint('http://am:9093/api/v2/alerts')).toBe('http://am:9093/api/v2/alerts');
  });

  it('posts a firing alert with alertname, engine, severity and instance labels, then its resolve with endsAt', async () => {
    const am = await startReceiver();
    const p = pipeline([am.url]);
    p.alerts.observe(SCOPE, [margin]);
    const fired = await am.request(0);
    expect(fired.path).toBe('/api/v2/alerts');
    const [alert] = fired.body as Array<Record<string, Record<string, string> & string>>;
    expect(alert?.labels).toEqual({
      alertname: 'engine-alert',
      engine: 'main',
      severity: 'error',
      instance: 'box-a',
      subject: 'margin',
    });
    expect(alert?.annotations).toMatchObject({ description: 'margin call on EURUSD' });
    // Firing: endsAt is a lease in the future, renewed by each refresh.
    expect(Date.parse(String(alert?.endsAt))).toBeGreaterThan(Date.now());
    p.alerts.observe(SCOPE, []);
    const resolved = await am.request(1);
    const [end] = resolved.body as Array<{ labels: object; endsAt: string }>;
    expect(end?.labels).toEqual(alert?.labels);
    expect(Date.parse(String(end?.endsAt))).toBeLessThanOrEqual(Date.now());
    await p.stop();
  });

  it('retries an Alertmanager that answers 503 and counts every attempt like other notifications', async () => {
    const am = await startReceiver((n) => (n === 0 ? { status: 503 } : { status: 200 }));
    const p = pipeline([am.url]);
    p.alerts.observe(SCOPE, [margin]);
    await am.request(1);
    while (!p.deliveries.some((d) => d.outcome === 'sent')) await once(p.dispatcher, 'delivery');
    expect(p.deliveries.map((d) => `${d.channel?.kind}:${d.outcome}`)).toEqual([
      'alertmanager:retry',
      'alertmanager:sent',
    ]);
    await p.stop();
  });

  it('re-sends every firing alert and recent resolves to each Alertmanager of an HA pair, and reports one that fails', async () => {
    const a = await startReceiver();
    let bFails = false;
    const b = await startReceiver(() => ({ status: bFails ? 500 : 200 }));
    const p = pipeline([a.url, b.url]);
    const registry = new Registry();
    p.refresher.registerMetrics(registry);
    p.alerts.observe(SCOPE, [margin, { ...margin, subject: 'feed', message: 'feed lag' }]);
    await Promise.all([a.request(1), b.request(1)]); // the two firings, through the outbox
    p.alerts.observe(SCOPE, [margin]); // feed resolves
    await Promise.all([a.request(2), b.request(2)]);
    bFails = true;
    await p.refresher.refresh();
    const refresh = a.received.at(-1)?.body as Array<{
      labels: { subject: string };
      endsAt: string;
    }>;
    expect(refresh.map((x) => x.labels.subject).sort()).toEqual(['feed', 'margin']);
    const feed = refresh.find((x) => x.labels.subject === 'feed');
    expect(Date.parse(String(feed?.endsAt))).toBeLessThanOrEqual(Date.now());
    expect(b.received).toHaveLength(4);
    expect(b.received.at(-1)?.body).toHaveLength(2);
    expect(p.failures.join()).toMatch(/alertmanager 127\.0\.0\.1:\d+: HTTP 500/);
    const metrics = await registry.metrics();
    expect(metrics).toMatch(/tradewatch_alertmanager_refreshes_total\{outcome="sent"\} 1/);
    expect(metrics).toMatch(/tradewatch_alertmanager_refreshes_total\{outcome="failed"\} 1/);
    await p.stop();
  });
});
