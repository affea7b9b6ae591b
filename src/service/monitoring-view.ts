import { RULES, type RuleId } from '../contract/alert-rules.js';
import { systemStatus } from '../monitor/host/series.js';
import type { DeliveryView, MonitorView } from '../web/types.js';
import type { Monitoring } from './monitoring.js';

/** The web layer's narrow view of monitoring; `generation` moves on every alert or host change. */
export function monitorView(m: Monitoring): MonitorView {
  let generation = 0;
  m.alerts.on('change', () => generation++);
  m.host.on('sample', () => generation++);
  const labels = () => new Map(m.dispatcher.channelList.map((c) => [c.id, c.label]));
  return {
    rules: m.rules,
    systemStatus: () => systemStatus(m.host.latest, m.rules),
    alerts: (limit, state) => m.alerts.list(limit, state),
    activeAlerts: () => m.alerts.active(),
    isMuted: (alert) => m.alerts.isMuted(alert),
    describeRule: (rule) => RULES[rule as RuleId]?.describe ?? rule,
    ack: (id) => m.alerts.ack(id),
    deliveries(limit): DeliveryView[] {
      const names = labels();
      return m.outbox.recent(limit).map((d) => ({
        id: d.id,
        channel: names.get(d.channel) ?? `${d.channel.split(':')[0]} (no longer configured)`,
        event: d.notification.event,
        alertId: d.notification.alert.id,
        level: d.notification.alert.level,
        message: d.notification.alert.message,
        status: d.status,
        attempts: d.attempts,
        lastError: d.lastError,
        createdAtMs: d.createdAtMs,
        doneAtMs: d.doneAtMs,
      }));
    },
    channels: () =>
      m.dispatcher.channelList.map((c) => ({ kind: c.kind, label: c.label, minLevel: c.minLevel })),
    generation: () => generation,
  };
}
