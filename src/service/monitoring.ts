import type Database from 'better-sqlite3';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { Config } from '../config/load.js';
import { type RuleSet, resolveRules } from '../contract/alert-rules.js';
import { HOST_OWNER } from '../contract/series.js';
import { AlertEvaluator } from '../monitor/alerts/evaluator.js';
import { AlertManager } from '../monitor/alerts/manager.js';
import { AlertStore } from '../monitor/alerts/store.js';
import type { HistoryStore } from '../monitor/history.js';
import { HostMonitor } from '../monitor/host/monitor.js';
import { HostSampler } from '../monitor/host/sampler.js';
import { hostSeries } from '../monitor/host/series.js';
import { registerMonitorMetrics } from '../monitor/monitor-metrics.js';
import { AlertmanagerRefresher } from '../monitor/notify/alertmanager.js';
import { buildChannels, type Channel, type NotifyConfig } from '../monitor/notify/channels.js';
import { NotificationDispatcher } from '../monitor/notify/dispatcher.js';
import { Notifier } from '../monitor/notify/notifier.js';
import { OutboxStore } from '../monitor/notify/outbox.js';
import type { EnginePoller } from '../reader/poller.js';

/** Resolved alerts are kept this long; sent or failed notifications a week. */
const ALERT_HISTORY_MS = 30 * 86_400_000;
const OUTBOX_HISTORY_MS = 7 * 86_400_000;

export interface Monitoring {
  rules: RuleSet;
  host: HostMonitor;
  alerts: AlertManager;
  outbox: OutboxStore;
  dispatcher: NotificationDispatcher;
  /** Host chart points recorded from the latest sample (for live pushes). */
  onHostPoints(listener: (atMs: number, points: Array<[string, number]>) => void): void;
  /** Adds alert, host and notification metrics to a Prometheus registry. */
  registerMetrics(registry: Registry): void;
  /** Moves the stores to a new sidecar connection (the file was recreated). */
  attach(db: Database.Database): void;
  /** Deletes old alert history and old delivered notifications. */
  prune(nowMs?: number): void;
  start(): void;
  stop(): Promise<void>;
}

/** The notification settings of a configuration. */
export function notifyConfig(config: Config): NotifyConfig {
  return {
    webhooks: config['notify-webhook'],
    slack: config['notify-slack'],
    discord: config['notify-discord'],
    telegram: config['notify-telegram'],
    telegramApiUrl: config['telegram-api-url'],
    smtpUrl: config['smtp-url'],
    smtpFrom: config['smtp-from'],
    emails: config['notify-email'],
    minLevels: Object.fromEntries(config['notify-level'].map((l) => [l.kind, l.level])),
    alertmanagers: config['alertmanager-url'],
    instance: config.instance,
  };
}

/** The periodic re-send to each `--alertmanager-url` (its channels come last, in flag order). */
function alertmanagerRefresher(
  config: Config,
  channels: readonly Channel[],
  alerts: AlertManager,
  logger: Logger,
): AlertmanagerRefresher {
  const amChannels = channels.filter((c) => c.kind === 'alertmanager');
  const targets = config['alertmanager-url'].map((url, i) => ({
    url,
    channel: amChannels[i] as Channel,
  }));
  return new AlertmanagerRefresher(alerts, targets, config.instance, {
    timeoutMs: config['notify-timeout'],
    onFailure: (label, error) =>
      logger.warn({ channel: label, error }, `alert refresh to ${label} failed: ${error}`),
  });
}

/**
 * Host sampling, alert evaluation and notifications, wired to the pollers and the sidecar
 * database: every snapshot and host sample is evaluated; alert changes queue notifications.
 */
export function createMonitoring(
  config: Config,
  sidecar: Database.Database,
  history: HistoryStore,
  pollers: readonly EnginePoller[],
  logger: Logger,
): Monitoring {
  const rules = resolveRules(config.alert);
  const alertStore = new AlertStore(sidecar);
  const alerts = new AlertManager(alertStore, rules, (error) =>
    logger.error({ err: error }, 'alert store write failed; alerts continue in memory'),
  );
  const evaluator = new AlertEvaluator(alerts);
  const outbox = new OutboxStore(sidecar);
  const channels = buildChannels(notifyConfig(config));
  const dispatcher = new NotificationDispatcher(outbox, channels, {
    timeoutMs: config['notify-timeout'],
  });
  const refresher = alertmanagerRefresher(config, channels, alerts, logger);
  const notifier = new Notifier(alerts, dispatcher, config['notify-repeat']);
  const sampler = new HostSampler({
    mounts: config['disk-mount'],
    enginePids: () =>
      pollers.map((p) => ({ engine: p.options.name, pid: p.snapshot.heartbeat?.pid ?? null })),
  });
  const host = new HostMonitor(sampler, config['system-interval'], (error) =>
    logger.error({ err: error }, 'host sample failed'),
  );
  const pointListeners: Array<(atMs: number, points: Array<[string, number]>) => void> = [];

  let db = sidecar; // the connection now (the file can be recreated while serving)
  // One sidecar transaction per evaluation: a commit with 5,000 engine alerts is one write of
  // alerts, transitions and outbox rows, not 25,000 (that blocked the event loop for seconds).
  const guarded = (what: string, fn: () => void) => {
    try {
      if (db.inTransaction) fn();
      else db.transaction(fn)();
    } catch (error) {
      logger.error({ err: error }, `${what} failed`);
    }
  };
  host.on('sample', (sample) => {
    for (const error of sample.errors) logger.warn({ part: error }, 'host metric unavailable');
    guarded('host history sample', () => {
      const points = history.recordSeries(HOST_OWNER, hostSeries(sample), sample.atMs);
      for (const listener of pointListeners) listener(sample.atMs, points);
    });
    guarded('host alert evaluation', () => evaluator.host(sample));
    // Engine rules with a `for` need time to pass even when nothing changes.
    for (const poller of pollers)
      guarded('alert evaluation', () => evaluator.snapshot(poller.snapshot));
  });
  for (const poller of pollers)
    poller.on('snapshot', (snapshot) =>
      guarded('alert evaluation', () => evaluator.snapshot(snapshot)),
    );
  alerts.on('change', ({ alert, from, to }) => {
    if (to === 'pending' || to === 'cancelled') return;
    const level = to === 'resolved' || to === 'acked' ? 'info' : 'warn';
    logger[level](
      { alert: alert.id, rule: alert.rule, engine: alert.engine, subject: alert.subject, from, to },
      `alert ${to}: ${alert.level} ${alert.message}`,
    );
  });
  dispatcher.on('delivery', ({ message, channel, outcome, error }) => {
    const fields = {
      notification: message.id,
      channel: channel?.label ?? message.channel,
      outcome,
    };
    if (outcome === 'sent') logger.info(fields, 'notification sent');
    else
      logger.warn(
        { ...fields, error },
        `notification ${outcome === 'retry' ? 'will be retried' : 'failed'}: ${error}`,
      );
  });

  return {
    rules,
    host,
    alerts,
    outbox,
    dispatcher,
    onHostPoints: (listener) => pointListeners.push(listener),
    attach(next) {
      db = next;
      alertStore.attach(next);
      outbox.attach(next);
    },
    registerMetrics: (registry) => {
      registerMonitorMetrics(registry, {
        activeAlerts: () => alerts.active(),
        latestHost: () => host.latest,
        pendingNotifications: () => outbox.pendingCount(),
        onDelivery: (listener) => dispatcher.on('delivery', listener),
        channelKinds: () => dispatcher.channelList.map((c) => c.kind),
      });
      refresher.registerMetrics(registry);
    },
    prune(nowMs = Date.now()) {
      alerts.prune(nowMs - ALERT_HISTORY_MS);
      outbox.prune(nowMs - OUTBOX_HISTORY_MS);
    },
    start() {
      dispatcher.start();
      refresher.start();
      host.start();
    },
    async stop() {
      host.stop();
      notifier.stop();
      await Promise.all([dispatcher.stop(), refresher.stop()]);
    },
  };
}
