import { join } from 'node:path';
import { pino } from 'pino';
import type { Page } from 'playwright-core';
import { describe, expect, it, onTestFinished } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { startDashboard } from '../../src/service/dashboard.js';
import { StateWriter } from '../../src/state/index.js';
import { hasBinary } from '../helpers/binaries.js';
import { launchChromium } from '../helpers/browser.js';
import { startCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

/** Generous: this machine runs other suites beside this one. */
const DEADLINE_MS = 30_000;

function engine(dir: string): { path: string; writer: StateWriter } {
  const path = join(dir, `engine-${Math.random().toString(36).slice(2)}.db`);
  const writer = StateWriter.open(path, { strict: true });
  onTestFinished(() => writer.close());
  writer.summary({ cash: 50_000, value: 51_000, currency: 'USD' });
  writer.symbol('EURUSD', { price: 1.08421, position_size: 100_000, position_price: 1.084 });
  writer.heartbeat();
  return { path, writer };
}

async function newBrowser() {
  const chromium = await launchChromium();
  onTestFinished(() => chromium.close());
  return chromium.browser;
}

/** What a page shows about its connection: indicator, engine badge, title, favicon. */
const shown = (page: Page) =>
  page.evaluate(() => ({
    connection: document.getElementById('connection')?.dataset.state,
    badge: document.querySelector('#panel-header .badge')?.textContent?.trim(),
    title: document.title,
    favicon: document.getElementById('favicon')?.getAttribute('href'),
  }));

describe.runIf(hasBinary('chromium'))('what a page says about its connection', () => {
  const dir = tempDir();

  it('turns every tab offline (badge, title, favicon) once the dashboard is gone for two polls, and back when it returns', async () => {
    const { path } = engine(dir);
    const args = ['--db', `main=${path}`, '--poll-ms', '250', '--data-dir', dir, '--tz', 'UTC'];
    let cli = await startCli([...args, '--port', '0']);
    const port = new URL(cli.url).port;
    const browser = await newBrowser();
    const console: string[] = [];
    const pages: Page[] = [];
    for (const path of ['/live', '/live/symbol/EURUSD']) {
      const page = await browser.newPage();
      page.on('console', (m) => console.push(m.text()));
      page.on('pageerror', (e) => console.push(String(e)));
      await page.goto(cli.url + path);
      await page.waitForSelector('#connection[data-state="live"]', { timeout: DEADLINE_MS });
      pages.push(page);
    }
    expect((await shown(pages[0] as Page)).badge).toContain('Live');

    await cli.stop();
    for (const page of pages) {
      await page.waitForFunction(() => document.title.includes('offline'), undefined, {
        timeout: DEADLINE_MS,
      });
      const now = await shown(page);
      expect(now.connection).toBe('offline');
      expect(now.badge).toContain('Offline');
      expect(now.badge).not.toContain('Live');
      expect(now.favicon).toContain('state=offline');
    }

    cli = await startCli([...args, '--port', port]);
    for (const page of pages) {
      await page.waitForFunction(() => !document.title.includes('offline'), undefined, {
        timeout: DEADLINE_MS,
      });
      await page.waitForSelector('#connection[data-state="live"]', { timeout: DEADLINE_MS });
      const now = await shown(page);
      expect(now.badge).toContain('Live');
      expect(now.favicon).not.toContain('offline');
    }
    expect(console.join('\n')).not.toContain('[object Event]');
  }, 120_000);

  it('polls where EventSource is missing and file watching is off, and still follows writes', async () => {
    const { path, writer } = engine(dir);
    const { config } = loadConfig(
      ['--db', `main=${path}`, '--port', '0', '--poll-ms', '250', '--data-dir', dir, '--no-watch'],
      {},
    );
    const dashboard = await startDashboard(config, pino({ level: 'silent' }));
    onTestFinished(() => dashboard.close());
    const browser = await newBrowser();
    await browser.addInitScript(() => {
      delete (window as { EventSource?: unknown }).EventSource;
    });
    const page = await browser.newPage();
    await page.goto(`${dashboard.url}/live`);
    await page.waitForSelector('#connection[data-state="polling"]', { timeout: DEADLINE_MS });
    writer.summary({ cash: 50_000, value: 52_345.5, currency: 'USD' });
    await page.waitForFunction(
      () => document.querySelector('[data-field="equity"]')?.textContent === '52,345.50 USD',
      undefined,
      { timeout: DEADLINE_MS },
    );
    expect(dashboard.streams()).toBe(0);
  }, 120_000);
});
