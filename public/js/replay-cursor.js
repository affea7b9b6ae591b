// Replay: on a page showing a past moment (?at=), every time chart is centred on that moment
// and carries a vertical cursor line at it. Kept apart from charts.js, which it only reads
// through Chart.getChart(); re-applied after panel swaps, which may replace annotations.
(() => {
  const SPAN_MS = 6 * 3600_000; // REPLAY_CHART_SPAN_MS on the server
  const css = (name) => getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  let current = Number(document.body.dataset.replayAt || Number.NaN);

  function set(atMs) {
    current = atMs;
    if (!window.Chart || !Number.isFinite(atMs)) return;
    for (const canvas of document.querySelectorAll('canvas')) {
      const chart = window.Chart.getChart(canvas);
      if (chart?.config.type !== 'line' || chart.options.scales?.x?.type !== 'time') continue;
      chart.options.scales.x.min = atMs - SPAN_MS / 2;
      chart.options.scales.x.max = atMs + SPAN_MS / 2;
      const annotation = chart.options.plugins.annotation;
      annotation.annotations = { ...(annotation.annotations || {}) };
      annotation.annotations.replayCursor = {
        type: 'line',
        xMin: atMs,
        xMax: atMs,
        borderColor: css('--warn'),
        borderWidth: 2,
      };
      chart.update('none');
    }
  }

  window.tradewatchReplayCursor = { set, at: () => current };
  if (Number.isFinite(current)) {
    // Charts are built at their first frame (charts.js), after this runs.
    document.addEventListener('tradewatch:charts-built', () => set(current));
    document.body.addEventListener('htmx:afterSwap', () => set(current));
  }
})();
