import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { launchChromium } from '../../scripts/lib/chromium.js';

export { launchChromium };

/**
 * One headless Chromium for a describe block, launched before its tests and closed after, and
 * a way to open a page at 1366 × 900 that waits until the page's connection indicator says
 * `live` — or `polling`, for a browser without EventSource (the fallback).
 */
export function chromiumPerSuite() {
  let browser: BrowserContext;
  let close: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    const chromium = await launchChromium();
    browser = chromium.browser;
    close = () => chromium.close();
  });
  afterAll(async () => close?.());
  return {
    async open(url: string, polling = false): Promise<Page> {
      const page = await browser.newPage();
      await page.setViewportSize({ width: 1366, height: 900 });
      if (polling)
        await page.addInitScript(() => {
          delete (window as { EventSource?: unknown }).EventSource;
        });
      await page.goto(url);
      await page.waitForSelector(`#connection[data-state="${polling ? 'polling' : 'live'}"]`, {
        timeout: 15_000,
      });
      return page;
    },
  };
}
