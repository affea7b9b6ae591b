import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pino } from 'pino';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { type Dashboard, startDashboard } from '../../src/service/dashboard.js';
import { StateWriter } from '../../src/state/index.js';
import { hasBinary } from '../helpers/binaries.js';
import { launchChromium } from '../helpers/browser.js';
import { tempDir } from '../helpers/tmp.js';

describe.runIf(hasBinary('chromium'))('alerts, system and log pages in headless Chromium', () => {
  const dir = tempDir();
  const dbPath = join(dir, 'engine.db');
  const logPath = join(dir, 'trading.log');
  let writer: StateWriter;
  let dashboard: Dashboard;
  let chromium: Awaited<ReturnType<typeof launchChromium>>;

  beforeAll(async () => {
    writer = StateWriter.open(dbPath, { strict: true });
    writer.heartbeat();
    writer.broker({ connected: false, server: 'demo' }); // an ERROR alert at once
    writeFileSync(logPath, 'INFO engine started\n');
    const { config } = loadConfig(
      [
        '--db',
        `main=${dbPath}`,
        '--port',
        '0',
        '--poll-ms',
        '250',
        '--data-dir',
        dir,
        '--log',
        `trading=${logPath}`,
        '--system-interval',
        '1s',
      ],
      {},
    );
    dashboard = await startDashboard(config, pino({ level: 'silent' }));
    chromium = await launchChromium();
  });

  afterAll(async () => {
    await chromium?.close();
    await dashboard?.close();
    writer?.close();
  });

  async function open(path: string): Promise<Page & { dialogs: string[] }> {
    const page = (await chromium.browser.newPage()) as Page & { dialogs: string[] };
    page.dialogs = [];
    page.on('dialog', (d) => {
      page.dialogs.push(d.message());
      void d.dismiss();
    });
    await page.goto(dashboard.url + path);
    await page.waitForSelector('#connection[data-state="live"]', { timeout: 10_000 });
    return page;
  }

  it('acknowledges an alert from /alerts; the page updates itself and the nav count drops', async () => {
    const page = await open('/alerts');
    const item = page.locator('#panel-alert-list li[data-state="firing"]', {
      hasText: 'Broker disconnected',
    });
    await item.getByRole('button', { name: /Acknowledge/ }).click();
    await item.locator('.chip', { hasText: 'acknowledged' }).waitFor({ timeout: 5000 });
    expect(await item.getByRole('button').count()).toBe(0);
    // Acknowledged: the nav's count no longer includes it.
    await page.waitForSelector('#alert-count[hidden]', { state: 'attached', timeout: 5000 });
    expect(await page.textContent('#alert-count')).toBe('');
    await page.close();
  });

  it('follows a log: new lines appear, hostile text stays text, the filter hides the rest', async () => {
    const page = await open('/logs');
    await page.locator('#log-status', { hasText: 'following' }).waitFor({ timeout: 5000 });
    appendFileSync(logPath, 'ERROR order rejected\n<img src=x onerror=alert(1)> INFO odd\n');
    await page
      .locator('#log-lines li.log-error', { hasText: 'order rejected' })
      .waitFor({ timeout: 5000 });
    await page.locator('#log-lines li', { hasText: '<img src=x onerror=alert(1)>' }).waitFor();
    expect(await page.textContent('#log-error-number')).toBe('1');
    await page.fill('#log-filter', 'rejected');
    expect(await page.locator('#log-lines li:visible').allTextContents()).toEqual([
      'ERROR order rejected',
    ]);
    expect(page.dialogs).toEqual([]);
    await page.close();
  });

  it('/system charts the host in words and units (KB/s, whole 0–100 % axes) and fills its table', async () => {
    const page = await open('/system');
    await page
      .locator('#panel-system')
      .getByRole('rowheader', { name: 'CPU', exact: true })
      .waitFor();
    await page.waitForFunction(
      () =>
        (
          window as unknown as { tradewatchCharts?: { count(): number } }
        ).tradewatchCharts?.count() === 5,
    );
    // Legends in words with units; percentages on their whole 0–100 scale; rates in B/s units.
    const charts = await page.evaluate(() => {
      type C = {
        data: { datasets: Array<{ label: string }> };
        scales: { y: { min: number; max: number; ticks: Array<{ label: string }> } };
      };
      const Chart = (window as unknown as { Chart: { getChart(c: Element): C } }).Chart;
      return Array.from(document.querySelectorAll('canvas')).map((c) => {
        const chart = Chart.getChart(c);
        return {
          labels: chart.data.datasets.map((d) => d.label),
          min: chart.scales.y.min,
          max: chart.scales.y.max,
          ticks: chart.scales.y.ticks.map((t) => t.label),
        };
      });
    });
    expect(charts[0]).toMatchObject({ labels: ['CPU (%)', 'Memory (%)'], min: 0, max: 100 });
    expect(charts[2]?.labels).toEqual(['Received (per second)', 'Sent (per second)']);
    expect(charts[2]?.ticks.every((t) => / (B|KB|MB|GB)\/s$/.test(t))).toBe(true);
    expect(charts[3]).toMatchObject({ min: 0, max: 100 });
    await page.close();
  });
});
