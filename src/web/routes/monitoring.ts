import { Router } from 'express';
import { alertJson } from '../../contract/alert-json.js';
import { HOST_OWNER } from '../../contract/series.js';
import type { AlertState } from '../../monitor/alerts/types.js';
import { HttpError } from '../http-error.js';
import { allowQuery, sinceParam } from '../query.js';
import { rejectCrossSite } from '../same-origin.js';
import type { HistoryReader, MonitorView } from '../types.js';

const STATES = ['pending', 'firing', 'resolved', 'active'] as const;
/** Windows longer than this are served as min/avg/max buckets. */
const ROLLUP_AFTER_MS = 3_600_000;

function intParam(text: unknown, name: string, min: number, max: number, fallback: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!/^\d+$/.test(String(text)) || value < min || value > max)
    throw new HttpError(
      400,
      'bad_parameter',
      `${name} must be a whole number from ${min} to ${max}, got ${JSON.stringify(text)}`,
    );
  return value;
}

/** Host metrics, alerts and their acknowledgement. */
export function monitoringRoutes(
  monitor: MonitorView,
  history: HistoryReader,
  timeZone: string,
): Router {
  const router = Router();
  const noStore = (res: import('express').Response) => res.setHeader('Cache-Control', 'no-store');

  router.get('/api/v1/monitoring/system-status', (req, res) => {
    allowQuery(req, []);
    noStore(res);
    res.json({ timestamp: new Date().toISOString(), ...monitor.systemStatus() });
  });

  /** The original design's flat shape (percentages, GB and MB), plus rates. */
  router.get('/api/metrics/current', (req, res) => {
    allowQuery(req, []);
    noStore(res);
    const s = monitor.systemStatus();
    const root = s.disks.find((d) => d.mount === '/') ?? s.disks[0];
    const gb = (bytes: number | null | undefined) =>
      bytes == null ? null : Number((bytes / 1024 ** 3).toFixed(2));
    res.json({
      timestamp: new Date().toISOString(),
      sampled_at: s.sampled_at,
      cpu_percent: s.cpu.value,
      load_1m: s.load?.['1m'] ?? null,
      memory_percent: s.memory.value,
      memory_available_gb: gb(s.memory.available_bytes),
      disk_percent: root?.value ?? null,
      disk_free_gb: root ? gb(root.size_bytes - root.used_bytes) : null,
      net_rx_bytes_per_sec: s.network?.rx_bytes_per_sec ?? null,
      net_tx_bytes_per_sec: s.network?.tx_bytes_per_sec ?? null,
    });
  });

  router.get('/api/metrics/history', (req, res) => {
    allowQuery(req, ['metric', 'since']);
    const metric = req.query.metric;
    const known = history.seriesNames(HOST_OWNER);
    if (typeof metric !== 'string' || !known.includes(metric))
      throw new HttpError(
        metric === undefined ? 400 : 404,
        metric === undefined ? 'missing_parameter' : 'unknown_metric',
        `${metric === undefined ? 'metric is required' : `no metric ${JSON.stringify(metric)}`}; recorded: ${known.join(', ') || 'none yet'}`,
      );
    const now = Date.now();
    const since = sinceParam(req, now - ROLLUP_AFTER_MS, timeZone);
    const rollup = now - since > ROLLUP_AFTER_MS;
    noStore(res);
    res.json({
      metric,
      since: new Date(since).toISOString(),
      rollup,
      columns: rollup ? ['t', 'min', 'avg', 'max'] : ['t', 'value'],
      points: rollup
        ? history.rollup(HOST_OWNER, metric, since)
        : history.points(HOST_OWNER, metric, since),
    });
  });

  router.get('/api/v1/monitoring/alerts', (req, res) => {
    allowQuery(req, ['limit', 'state']);
    const limit = intParam(req.query.limit, 'limit', 1, 1000, 50);
    const state = req.query.state;
    if (state !== undefined && !(STATES as readonly unknown[]).includes(state))
      throw new HttpError(400, 'bad_parameter', `state must be one of ${STATES.join(', ')}`);
    noStore(res);
    const alerts = monitor.alerts(limit, state as AlertState | 'active' | undefined);
    res.json({
      timestamp: new Date().toISOString(),
      count: alerts.length,
      alerts: alerts.map((a) => alertJson(a, monitor.isMuted(a))),
    });
  });

  router.post('/api/v1/monitoring/alerts/:id/ack', rejectCrossSite, (req, res) => {
    allowQuery(req, []);
    const id = intParam(req.params.id, 'id', 1, Number.MAX_SAFE_INTEGER, 0);
    const alert = monitor.ack(id);
    if (!alert) {
      const known = monitor.alerts(1000).some((a) => a.id === id);
      throw new HttpError(
        known ? 409 : 404,
        known ? 'not_active' : 'unknown_alert',
        known
          ? `alert ${id} has resolved; only active alerts can be acknowledged`
          : `no alert ${id}`,
      );
    }
    noStore(res);
    res.json({ alert: alertJson(alert, monitor.isMuted(alert)) });
  });

  return router;
}
