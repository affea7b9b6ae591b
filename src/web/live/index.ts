import type { EngineDirectory, HistoryReader } from '../types.js';
import { PanelRenderer } from './renderer.js';
import { SseHub } from './sse.js';

export interface Live {
  renderer: PanelRenderer;
  hub: SseHub;
}

/** The live-page machinery: one renderer and one SSE hub for the whole process. */
export function createLive(
  engines: EngineDirectory,
  history: HistoryReader,
  timeZone: string,
  viewsDir: string,
): Live {
  const renderer = new PanelRenderer(viewsDir, () => ({
    nowMs: Date.now(),
    timeZone,
    engineNames: engines.list().map((e) => e.name),
    history,
  }));
  return { renderer, hub: new SseHub(renderer, engines) };
}
