import type { Page } from 'playwright-core';

/** What a page shows, minus relative ages: every panel's text and every chart's data. */
export interface PageState {
  panels: Record<string, string>;
  charts: Record<string, unknown>;
}

/** Waits until every canvas has its chart: charts.js builds them at the page's first frame. */
export async function chartsBuilt(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const Chart = (window as unknown as { Chart?: { getChart(c: HTMLCanvasElement): unknown } })
      .Chart;
    return Array.from(document.querySelectorAll('canvas')).every((c) => Chart?.getChart(c));
  });
}

/**
 * Reads a page as a trader sees it: each `[data-panel]`'s visible text (a `<time>` reads as its
 * absolute `datetime`, so "3 s ago" and "4 s ago" compare equal) and, per canvas, the Chart.js
 * datasets by label, category labels and annotation values.
 */
export async function pageState(page: Page, skipPanels: string[] = []): Promise<PageState> {
  await chartsBuilt(page);
  return page.evaluate((skip) => {
    const panels: Record<string, string> = {};
    for (const el of Array.from(document.querySelectorAll<HTMLElement>('[data-panel]'))) {
      const name = el.dataset.panel ?? '';
      if (skip.includes(name) || el.hidden) continue;
      const copy = el.cloneNode(true) as HTMLElement;
      for (const t of Array.from(copy.querySelectorAll('time')))
        t.textContent = t.getAttribute('datetime');
      panels[name] = (copy.textContent ?? '').replace(/\s+/g, ' ').trim();
    }
    const charts: Record<string, unknown> = {};
    interface ChartLike {
      data: { labels?: unknown[]; datasets: Array<{ label: string; data: unknown[] }> };
      options: { plugins?: { annotation?: { annotations?: Record<string, { yMin?: number }> } } };
    }
    const Chart = (
      window as unknown as { Chart: { getChart(c: HTMLCanvasElement): ChartLike | undefined } }
    ).Chart;
    document.querySelectorAll('canvas').forEach((canvas, i) => {
      const chart = Chart.getChart(canvas);
      if (!chart) return;
      const annotations = chart.options.plugins?.annotation?.annotations ?? {};
      charts[canvas.id || `canvas-${i}`] = {
        labels: chart.data.labels ?? null,
        datasets: Object.fromEntries(
          chart.data.datasets.map((d) => [
            d.label,
            d.data.map((p) => {
              const xy = p as { x?: number; y?: number } | number;
              return typeof xy === 'object' && xy ? [xy.x, xy.y] : xy;
            }),
          ]),
        ),
        annotations: Object.fromEntries(Object.entries(annotations).map(([k, a]) => [k, a.yMin])),
      };
    });
    return { panels, charts };
  }, skipPanels);
}

/** Polls until `read()` equals `expected()` or the deadline passes; returns the last pair. */
export async function settle<T>(
  read: () => Promise<T>,
  expected: () => Promise<T>,
  timeoutMs: number,
): Promise<{ actual: T; wanted: T }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [actual, wanted] = [await read(), await expected()];
    if (JSON.stringify(actual) === JSON.stringify(wanted) || Date.now() > deadline)
      return { actual, wanted };
    await new Promise((r) => setTimeout(r, 250));
  }
}
