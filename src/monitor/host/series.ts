import type { RuleSet } from '../../contract/alert-rules.js';
import type { HostSample } from './sampler.js';

/**
 * History series of a host sample (recorded under HOST_OWNER). The names are also the
 * `metric` values of /api/metrics/history. Per-mount and per-engine series end in `:<name>`.
 */
export function hostSeries(s: HostSample): Array<[string, number]> {
  const out: Array<[string, number]> = [];
  const add = (name: string, value: number | null | undefined) => {
    if (value !== null && value !== undefined && Number.isFinite(value)) out.push([name, value]);
  };
  add('cpu_percent', s.cpuPct);
  add('load_1m', s.load[0]);
  add('memory_percent', s.memory?.usedPct);
  add('memory_used_bytes', s.memory?.usedBytes);
  add('memory_available_bytes', s.memory?.availableBytes);
  for (const d of s.disks) add(`disk_percent:${d.mount}`, d.usedPct);
  add('net_rx_bytes_per_sec', s.network?.rxBytesPerSec);
  add('net_tx_bytes_per_sec', s.network?.txBytesPerSec);
  for (const e of s.engines) {
    add(`engine_cpu_percent:${e.engine}`, e.cpuPct);
    add(`engine_rss_bytes:${e.engine}`, e.rssBytes);
  }
  return out;
}

export type MetricStatus = 'ok' | 'info' | 'warning' | 'error' | 'critical' | 'unknown';

export interface MetricState {
  value: number | null;
  unit: string;
  threshold: number | null;
  clear: number | null;
  status: MetricStatus;
}

const round = (v: number | null | undefined, digits = 1) =>
  v === null || v === undefined ? null : Number(v.toFixed(digits));

/**
 * The current host values with each rule's threshold and a status: `ok`, the rule's level
 * when the value is beyond its threshold, or `unknown` when it could not be read. (Whether an
 * alert fired also depends on `for` and hysteresis: see /api/v1/monitoring/alerts.)
 */
export function systemStatus(s: HostSample | null, rules: RuleSet) {
  const state = (
    rule: 'cpu' | 'memory' | 'disk',
    value: number | null | undefined,
  ): MetricState => {
    const r = rules[rule];
    const v = round(value);
    let status: MetricStatus = 'unknown';
    if (v !== null)
      status =
        r.enabled && r.threshold !== null && v > r.threshold
          ? (r.level.toLowerCase() as MetricStatus)
          : 'ok';
    return {
      value: v,
      unit: '%',
      threshold: r.enabled ? r.threshold : null,
      clear: r.enabled ? r.clear : null,
      status,
    };
  };
  const cpu = state('cpu', s?.cpuPct);
  const memory = state('memory', s?.memory?.usedPct);
  const disks = (s?.disks ?? []).map((d) => ({
    mount: d.mount,
    size_bytes: d.sizeBytes,
    used_bytes: d.usedBytes,
    ...state('disk', d.usedPct),
  }));
  const all = [cpu.status, memory.status, ...disks.map((d) => d.status)];
  const order: MetricStatus[] = ['critical', 'error', 'warning', 'info', 'ok', 'unknown'];
  return {
    status: s === null ? 'unknown' : (order.find((o) => all.includes(o)) ?? 'ok'),
    sampled_at: s ? new Date(s.atMs).toISOString() : null,
    cpu,
    load: s
      ? { '1m': round(s.load[0], 2), '5m': round(s.load[1], 2), '15m': round(s.load[2], 2) }
      : null,
    memory: {
      ...memory,
      total_bytes: s?.memory?.totalBytes ?? null,
      used_bytes: s?.memory?.usedBytes ?? null,
      available_bytes: s?.memory?.availableBytes ?? null,
    },
    disks,
    network: s?.network
      ? {
          iface: s.network.iface,
          rx_bytes_per_sec: round(s.network.rxBytesPerSec, 0),
          tx_bytes_per_sec: round(s.network.txBytesPerSec, 0),
        }
      : null,
    engines: (s?.engines ?? []).map((e) => ({
      engine: e.engine,
      pid: e.pid,
      cpu_percent: round(e.cpuPct),
      rss_bytes: e.rssBytes,
    })),
    errors: s?.errors ?? [],
  };
}

export type SystemStatus = ReturnType<typeof systemStatus>;
