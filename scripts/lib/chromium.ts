import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';

/** Device options for the context (a phone: `{ hasTouch: true, isMobile: true, viewport }`). */
export type DeviceOptions = Pick<
  Parameters<typeof chromium.launchPersistentContext>[1] & object,
  'hasTouch' | 'isMobile' | 'viewport'
>;

/**
 * Debian's Chromium, headless, with the flags this machine needs (no network beyond loopback).
 *
 * @example
 * const phone = await launchChromium({ hasTouch: true, isMobile: true, viewport: { width: 360, height: 780 } });
 */
export async function launchChromium(device: DeviceOptions = {}): Promise<{
  browser: BrowserContext;
  close: () => Promise<void>;
}> {
  const userDataDir = mkdtempSync(join(tmpdir(), 'tradewatch-chromium-'));
  const browser = await chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    ...device,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--enable-precise-memory-info',
    ],
  });
  return {
    browser,
    close: async () => {
      await browser.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}
