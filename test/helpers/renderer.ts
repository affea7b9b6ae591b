import Database from 'better-sqlite3';
import { HistoryStore } from '../../src/monitor/history.js';
import { EnginePoller } from '../../src/reader/poller.js';
import { createMemo } from '../../src/web/live/memo.js';
import { PanelRenderer } from '../../src/web/live/renderer.js';
import type { EngineView } from '../../src/web/types.js';
import { monitorOver } from './monitor.js';
import { ROOT } from './spawn.js';

/**
 * A poller over an engine file and the live pages' renderer over it (in-memory history and
 * monitor), with the engine view the panels are given.
 */
export function rendererOver(
  path: string,
  onError?: ConstructorParameters<typeof PanelRenderer>[3],
) {
  const poller = new EnginePoller({
    name: 'main',
    path,
    pollMs: 1000,
    staleAfterMs: 30_000,
    timeZone: 'UTC',
  });
  const { monitor } = monitorOver(new Database(':memory:'));
  const history = new HistoryStore(new Database(':memory:'), 'UTC', 86_400_000);
  const renderer = new PanelRenderer(
    `${ROOT}/views`,
    () => ({
      nowMs: Date.now(),
      timeZone: 'UTC',
      engineNames: ['main'],
      engines: () => [],
      history,
      memo: createMemo(),
      monitor,
    }),
    () => 0,
    onError,
  );
  const engine: EngineView = {
    name: 'main',
    get snapshot() {
      return poller.snapshot;
    },
    running: true,
    tradesSince: (ms) => poller.tradesSince(ms),
  };
  return { poller, renderer, engine, history };
}
