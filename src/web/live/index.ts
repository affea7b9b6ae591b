import type { EngineDirectory, HistoryReader, MonitorView } from '../types.js';
import { createMemo } from './memo.js';
import { PanelRenderer } from './renderer.js';
import { type Badges, SseHub } from './sse.js';

export interface Live {
  renderer: PanelRenderer;
  hub: SseHub;
  badges: () => Badges;
}

/** The live-page machinery: one renderer and one SSE hub for the whole process. */
export function createLive(
  engines: EngineDirectory,
  history: HistoryReader,
  monitor: MonitorView,
  logErrors: () => number,
  timeZone: string,
  viewsDir: string,
  pollMs = 1000,
  hour12 = false,
): Live {
  const badges = () => ({
    // Acknowledged alerts are not counted: the badge is what still wants attention.
    alerts: monitor.activeAlerts().filter((a) => a.state === 'firing' && a.ackedAtMs === null)
      .length,
    logErrors: logErrors(),
  });
  const memo = createMemo();
  const renderer = new PanelRenderer(
    viewsDir,
    () => ({
      nowMs: Date.now(),
      timeZone,
      hour12,
      engineNames: engines.list().map((e) => e.name),
      engines: () => engines.list(),
      history,
      monitor,
      memo,
    }),
    () => monitor.generation(),
  );
  return { renderer, hub: new SseHub(renderer, engines, badges, pollMs), badges };
}
