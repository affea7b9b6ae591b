import { Counter, type Registry } from 'prom-client';
import { LEVELS } from '../contract/index.js';
import type { Alert } from './alerts/types.js';
import type { HostSample } from './host/sampler.js';
import type { Delivery } from './notify/dispatcher.js';
import { collectedGauge, type SetGauge } from './prometheus.js';

export interface MonitorMetricsSource {
  activeAlerts: () => readonly Alert[];
  latestHost: () => HostSample | null;
  /** Messages waiting in the outbox. */
  pendingNotifications: () => number;
  onDelivery: (listener: (delivery: Delivery) => void) => void;
  /** Kinds of the configured channels: their counters exist (at 0) before the first attempt. */
  channelKinds: () => readonly string[];
}

const OUTCOMES: ReadonlyArray<Delivery['outcome']> = ['sent', 'retry', 'failed'];

/** Alert, host and notification metrics, computed at scrape time like the snapshot ones. */
export function registerMonitorMetrics(registry: Registry, source: MonitorMetricsSource): void {
  const gauge = (
    name: string,
    help: string,
    labelNames: string[],
    values: (set: SetGauge) => void,
  ) => collectedGauge(registry, name, help, labelNames, values);
  const countByLevel = (state: Alert['state']) => (set: SetGauge) => {
    const active = source.activeAlerts();
    for (const level of LEVELS)
      set({ level }, active.filter((a) => a.state === state && a.level === level).length);
  };
  gauge('tradewatch_alerts_firing', 'Firing alerts by level.', ['level'], countByLevel('firing'));
  gauge(
    'tradewatch_alerts_pending',
    "Alerts whose condition holds but not yet for the rule's `for`, by level.",
    ['level'],
    countByLevel('pending'),
  );
  const host = (name: string, help: string, read: (s: HostSample) => number | null | undefined) =>
    gauge(name, help, [], (set) => {
      const sample = source.latestHost();
      const value = sample ? read(sample) : null;
      if (value !== null && value !== undefined && Number.isFinite(value)) set({}, value);
    });
  host('tradewatch_host_cpu_percent', 'Host CPU use, all cores, 0-100.', (s) => s.cpuPct);
  host('tradewatch_host_load1', 'Host 1-minute load average.', (s) => s.load[0]);
  host(
    'tradewatch_host_memory_used_percent',
    'Host memory in use (total - available), %.',
    (s) => s.memory?.usedPct,
  );
  host(
    'tradewatch_host_memory_available_bytes',
    'Host memory available to new work.',
    (s) => s.memory?.availableBytes,
  );
  host(
    'tradewatch_host_network_receive_bytes_per_second',
    'Default interface receive rate.',
    (s) => s.network?.rxBytesPerSec,
  );
  host(
    'tradewatch_host_network_transmit_bytes_per_second',
    'Default interface transmit rate.',
    (s) => s.network?.txBytesPerSec,
  );
  gauge('tradewatch_host_disk_used_percent', 'Disk use per watched mount, %.', ['mount'], (set) => {
    for (const d of source.latestHost()?.disks ?? []) set({ mount: d.mount }, d.usedPct);
  });
  gauge(
    'tradewatch_engine_process_cpu_percent',
    'Engine process CPU, % of one core (local engines).',
    ['engine'],
    (set) => {
      for (const e of source.latestHost()?.engines ?? [])
        if (e.cpuPct !== null) set({ engine: e.engine }, e.cpuPct);
    },
  );
  gauge(
    'tradewatch_engine_process_resident_memory_bytes',
    'Engine process RSS (local engines).',
    ['engine'],
    (set) => {
      for (const e of source.latestHost()?.engines ?? []) set({ engine: e.engine }, e.rssBytes);
    },
  );
  gauge('tradewatch_notifications_pending', 'Notifications waiting in the outbox.', [], (set) =>
    set({}, source.pendingNotifications()),
  );
  const deliveries = new Counter({
    name: 'tradewatch_notification_attempts_total',
    help: 'Notification delivery attempts by channel kind and outcome (sent, retry, failed).',
    labelNames: ['kind', 'outcome'],
    registers: [registry],
  });
  // `increase(...[15m]) > 0` needs a sample before the first failure, or it never fires on one.
  for (const kind of new Set(source.channelKinds()))
    for (const outcome of OUTCOMES) deliveries.inc({ kind, outcome }, 0);
  source.onDelivery(({ channel, outcome }) =>
    deliveries.inc({ kind: channel?.kind ?? 'unconfigured', outcome }),
  );
}
