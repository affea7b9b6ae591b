import { describe, expect, it } from 'vitest';
import { StateWriter } from '../../src/state/index.js';
import { PAGES, type PanelSpec } from '../../src/web/live/panels.js';
import { rendererOver } from '../helpers/renderer.js';
import { freshDbPath } from '../helpers/tmp.js';

/** STYLE.md 17: a renderer catches and reports per panel (issue 11, item 1). */
describe('a panel that cannot be rendered', () => {
  it('shows its own escaped error and is reported, while every other panel still renders', () => {
    const path = freshDbPath();
    const writer = StateWriter.open(path, { strict: true });
    writer.summary({ cash: 5, currency: 'USD' });
    writer.close();
    const reported: string[] = [];
    const { poller, renderer, engine } = rendererOver(path, (error, panel) =>
      reported.push(`${panel}: ${(error as Error).message}`),
    );
    const snapshot = poller.tick();
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
