import type Database from 'better-sqlite3';
import { pino } from 'pino';
import { onTestFinished } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { HistoryStore } from '../../src/monitor/history.js';
import type { EnginePoller } from '../../src/reader/poller.js';
import { createMonitoring } from '../../src/service/monitoring.js';
import { monitorView } from '../../src/service/monitoring-view.js';

/**
 * Real monitoring (alert store, outbox, dispatcher) over a sidecar database, configured with
 * command-line flags. Not started: tests feed samples and snapshots themselves.
 */
export function monitorOver(
  sidecar: Database.Database,
  pollers: readonly EnginePoller[] = [],
  flags: string[] = [],
  history = new HistoryStore(sidecar, 'UTC', 86_400_000),
  env: NodeJS.ProcessEnv = {},
) {
  const { config } = loadConfig(['--tz', 'UTC', ...flags], env);
  const monitoring = createMonitoring(config, sidecar, history, pollers, pino({ level: 'silent' }));
  onTestFinished(() => monitoring.stop());
  return { monitoring, monitor: monitorView(monitoring), history, config };
}
