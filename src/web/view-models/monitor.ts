import type { Alert } from '../../monitor/alerts/types.js';
import type { SystemStatus } from '../../monitor/host/series.js';
import type { DeliveryView, MonitorView, ViewContext } from '../types.js';
import { formatBytesForView, formatNumber, MISSING, timeView } from './format.js';

/** One alert as a row: level, what, state, since when, and whether it can be acknowledged. */
export function alertRow(a: Alert, monitor: MonitorView, ctx: ViewContext) {
  return {
    id: a.id,
    level: a.level,
    levelClass: a.level.toLowerCase(),
    state: a.state,
    rule: monitor.describeRule(a.rule),
    where: a.engine ?? 'host',
    subject: a.subject,
    message: a.message,
    since: timeView(a.firedAtMs ?? a.startedAtMs, ctx.nowMs, ctx.timeZone, ctx.hour12),
    resolved: timeView(a.resolvedAtMs, ctx.nowMs, ctx.timeZone, ctx.hour12),
    acked: a.ackedAtMs !== null,
    muted: monitor.isMuted(a),
    canAck: a.state !== 'resolved' && a.ackedAtMs === null,
  };
}

/** The /live alerts panel: active alerts about this engine and the host. */
export function activeAlertRows(engine: string, ctx: ViewContext, limit = 8) {
  const { monitor } = ctx;
  const mine = monitor.activeAlerts().filter((a) => a.engine === null || a.engine === engine);
  return {
    rows: mine.slice(0, limit).map((a) => alertRow(a, monitor, ctx)),
    more: Math.max(0, mine.length - limit),
  };
}

/** The /alerts page: every active alert, the history, and the notification log. */
export function alertsPageModel(ctx: ViewContext) {
  const { monitor } = ctx;
  return {
    active: monitor.activeAlerts().map((a) => alertRow(a, monitor, ctx)),
    history: monitor
      .alerts(100)
      .filter((a) => a.state === 'resolved')
      .map((a) => alertRow(a, monitor, ctx)),
  };
}

export function deliveriesModel(ctx: ViewContext) {
  const { monitor } = ctx;
  return {
    channels: monitor.channels(),
    rows: monitor.deliveries(50).map((d: DeliveryView) => ({
      ...d,
      created: timeView(d.createdAtMs, ctx.nowMs, ctx.timeZone, ctx.hour12),
      failed: d.status === 'failed',
    })),
  };
}

const pct = (v: number | null) => (v === null ? MISSING : `${formatNumber(v, 1)} %`);

/** The /system page's table. */
export function systemModel(s: SystemStatus, ctx: ViewContext) {
  const limit = (threshold: number | null) => (threshold === null ? 'off' : `> ${threshold} %`);
  const sampled = s.sampled_at ? Date.parse(s.sampled_at) : null;
  return {
    status: s.status,
    sampled: timeView(sampled, ctx.nowMs, ctx.timeZone, ctx.hour12),
    rows: [
      { name: 'CPU', value: pct(s.cpu.value), limit: limit(s.cpu.threshold), status: s.cpu.status },
      {
        name: 'Memory',
        value: `${pct(s.memory.value)} · ${formatBytesForView(s.memory.available_bytes)} free`,
        limit: limit(s.memory.threshold),
        status: s.memory.status,
      },
      ...s.disks.map((d) => ({
        name: `Disk ${d.mount}`,
        value: `${pct(d.value)} · ${formatBytesForView(d.size_bytes - d.used_bytes)} free`,
        limit: limit(d.threshold),
        status: d.status,
      })),
      {
        name: 'Load',
        value: s.load ? `${s.load['1m']} · ${s.load['5m']} · ${s.load['15m']}` : MISSING,
        limit: '',
        status: s.load ? 'ok' : 'unknown',
      },
      {
        name: `Network${s.network ? ` ${s.network.iface}` : ''}`,
        value: s.network
          ? `↓ ${formatBytesForView(s.network.rx_bytes_per_sec)}/s · ↑ ${formatBytesForView(s.network.tx_bytes_per_sec)}/s`
          : MISSING,
        limit: '',
        status: s.network ? 'ok' : 'unknown',
      },
      ...s.engines.map((e) => ({
        name: `Engine ${e.engine} (pid ${e.pid})`,
        value: `${pct(e.cpu_percent)} CPU · ${formatBytesForView(e.rss_bytes)}`,
        limit: '',
        status: 'ok',
      })),
    ],
    errors: s.errors,
  };
}
