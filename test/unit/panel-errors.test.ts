import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { HistoryStore } from '../../src/monitor/history.js';
import { EnginePoller } from '../../src/reader/poller.js';
import { StateWriter } from '../../src/state/index.js';
import { createMemo } from '../../src/web/live/memo.js';
import { PAGES, type PanelSpec } from '../../src/web/live/panels.js';
import { PanelRenderer } from '../../src/web/live/renderer.js';
import type { EngineView } from '../../src/web/types.js';
import { monitorOver } from '../helpers/monitor.js';
import { ROOT } from '../helpers/spawn.js';
import { freshDbPath } from '../helpers/tmp.js';

/** STYLE.md 17: a renderer catches and reports per panel (issue 11, item 1). */
describe('a panel that cannot be rendered', () => {
  it('shows its own escaped error and is reported, while every other panel still renders', () => {
    const path = freshDbPath();
    const writer = StateWriter.open(path, { strict: true });
    writer.summary({ cash: 5, currency: 'USD' });
    writer.close();
    const poller = new EnginePoller({
      name: 'main',
      path,
      pollMs: 1000,
      staleAfterMs: 30_000,
      timeZone: 'UTC',
    });
    const snapshot = poller.tick();
    const { monitor } = monitorOver(new Database(':memory:'));
    const history = new HistoryStore(new Database(':memory:'), 'UTC', 86_400_000);
    const reported: string[] = [];
    const renderer = new PanelRenderer(
      `${ROOT}/views`,
      () => ({
        nowMs: Date.now(),
        timeZone: 'UTC',
        engineNames: ['main'],
        history,
        memo: createMemo(),
        monitor,
      }),
      () => 0,
      (error, panel) => reported.push(`${panel}: ${(error as Error).message}`),
    );
    const engine: EngineView = {
      name: 'main',
      snapshot,
      running: true,
      tradesSince: () => [],
    };
    const broken: PanelSpec = {
      name: 'account',
      template: 'account',
      model: () => {
        throw new Error('no <account> today');
      },
    };
    const html = renderer.render(snapshot, broken, engine);
    expect(html).toBe(
      '<p class="notice notice-error" role="alert">This panel cannot be shown: no &lt;account&gt; today</p>',
    );
    expect(reported).toEqual(['account: no <account> today']);
    for (const panel of PAGES.live.filter((p) => p.name !== 'account'))
      expect(renderer.render(snapshot, panel, engine)).not.toMatch(/cannot be shown/);
  });
});
