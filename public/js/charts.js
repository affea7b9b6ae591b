// Chart.js glue. Charts are created once per canvas (canvases sit outside swapped regions) and
// then follow the page's data wherever it comes from: `points` events append samples, and every
// panel's `[data-chart-json]` element (series tails, SL/TP overlays, daily P&L) is read whenever
// htmx loads it — through SSE, the polling fallback or anything else that swaps panel HTML.
(() => {
  const MIN_SPAN_MS = 60_000;
  const dataEl = document.getElementById('chart-data');
  const fmt = window.tradewatchFormat;
  const { trim, span } = window.tradewatchChartWindow ?? {};
  if (!window.Chart || !dataEl || !fmt || !window.tradewatchChartStyle || !trim) return;
  const loaded = JSON.parse(dataEl.textContent || '{}');
  const initial = loaded.series || {};
  // The span a page load draws and its bucket size: an open page keeps the same span.
  const windowMs = loaded.windowMs || 0;
  const bucketMs = loaded.bucketMs || 0;
  const charts = []; // { chart, canvas, accepts(series), feeds: Map<series, dataset> }
  const { PALETTE, css, baseOptions, lineDataset } = window.tradewatchChartStyle;
  let priceDigits = null;
  const AXES = window.tradewatchChartStyle.axes(() => priceDigits);

  // Charts are drawn at the next frame: a page load, a swap of several panels or a burst of
  // points draws each chart once, and a background tab draws nothing until it is looked at.
  // Until its first frame a chart is a draft, its data and options as Chart.js will take them:
  // building it with its data draws it once, where building it empty and then filling it drew
  // it twice on every page load.
  const dirty = new Set();
  let frame = 0;
  function drawSoon(entry) {
    dirty.add(entry);
    if (!frame) frame = requestAnimationFrame(drawDirty);
  }
  function drawDirty() {
    frame = 0;
    let built = false;
    for (const entry of dirty) {
      if (entry.chart instanceof window.Chart) entry.chart.update('none');
      else {
        const { type, data, options } = entry.chart;
        entry.chart = new window.Chart(entry.canvas, { type, data, options });
        built = true;
      }
    }
    dirty.clear();
    // For the replay cursor, which draws itself into charts once they exist.
    if (built) document.dispatchEvent(new Event('tradewatch:charts-built'));
  }

  function draft(canvas, type, data, options, accepts = () => false) {
    const entry = { chart: { type, data, options }, canvas, accepts, feeds: new Map() };
    entry.named = (s) => s;
    charts.push(entry);
    drawSoon(entry);
    return entry;
  }

  function make(canvas, axis, accepts) {
    const { tick, ...range } = AXES[axis];
    const options = baseOptions(tick);
    Object.assign(options.scales.y, range);
    return draft(canvas, 'line', { datasets: [] }, options, accepts);
  }

  /** Creates a dataset for a series a chart accepts but has not drawn yet (a new mount, indicator). */
  function feedOf(entry, series) {
    let dataset = entry.feeds.get(series);
    if (dataset || !entry.accepts(series)) return dataset;
    const colour =
      entry.feeds.size === 0 ? css('--accent') : PALETTE[entry.feeds.size % PALETTE.length];
    dataset = lineDataset(entry.named(series), [], colour);
    entry.chart.data.datasets.splice(entry.feeds.size, 0, dataset);
    entry.feeds.set(series, dataset);
    return dataset;
  }

  /** Adds a sample unless the chart already has it (SSE points and panel tails overlap). */
  function add(entry, series, x, y) {
    const dataset = feedOf(entry, series);
    if (!dataset) return false;
    const last = dataset.data[dataset.data.length - 1];
    if (last && last.x >= x) return false;
    dataset.data.push({ x, y });
    trim(dataset.data, windowMs, bucketMs);
    return true;
  }

  /** A short series gets at least a minute of axis, not millisecond ticks. */
  function redraw(entry) {
    const { lo, hi } = span(entry.chart.data.datasets);
    const x = entry.chart.options.scales.x;
    if (hi >= lo && hi - lo < MIN_SPAN_MS) {
      x.min = (lo + hi) / 2 - MIN_SPAN_MS / 2;
      x.max = (lo + hi) / 2 + MIN_SPAN_MS / 2;
    } else {
      delete x.min;
      delete x.max;
    }
    const box = entry.canvas.closest('.chart-box');
    if (box && entry.hideEmpty) box.hidden = !entry.chart.data.datasets.some((d) => d.data.length);
    drawSoon(entry);
  }

  function lineChart(canvas, axis, accepts, named) {
    const names = Object.keys(initial).filter(accepts).sort();
    const entry = make(canvas, axis, accepts);
    entry.named = named;
    for (const series of names) {
      const dataset = feedOf(entry, series);
      dataset.data = lineDataset('', initial[series]).data;
    }
    entry.chart.options.plugins.legend.display = canvas.dataset.legend !== 'off';
    return entry;
  }

  // /live's equity and /system's host series: comma-separated names, or a prefix for one line
  // per mount or process as they appear.
  for (const canvas of document.querySelectorAll('canvas[data-line], canvas[data-line-prefix]')) {
    const prefix = canvas.dataset.linePrefix;
    const names = prefix ? [] : canvas.dataset.line.split(',');
    const accepts = prefix ? (s) => s.startsWith(prefix) : (s) => names.includes(s);
    const entry = lineChart(canvas, canvas.dataset.axis || 'money', accepts, fmt.label);
    for (const series of names) feedOf(entry, series); // a legend even before the first sample
    redraw(entry);
  }

  // /live/symbol/:symbol: price with entry/SL/TP lines and trade markers, RSI, other indicators.
  let priceChart = null;
  for (const canvas of document.querySelectorAll('canvas[data-price]')) {
    const series = `price:${canvas.dataset.series}`; // the symbol as series names spell it
    const entry = lineChart(
      canvas,
      'price',
      (s) => s === series,
      () => canvas.dataset.price,
    );
    feedOf(entry, series);
    entry.chart.data.datasets.push({
      label: 'trades',
      type: 'scatter',
      data: [],
      pointRadius: 5,
      pointStyle: [],
      backgroundColor: [],
      borderColor: [],
      showLine: false,
    });
    priceChart = entry;
    redraw(entry);
  }
  // `seriesSymbol` has no ':' (the server encodes it), so the prefix is this symbol's alone.
  const indicator = (seriesSymbol, rsi) => {
    const prefix = `ind:${seriesSymbol}:`;
    return (s) => s.startsWith(prefix) && /^rsi/i.test(s.slice(prefix.length)) === rsi;
  };
  for (const canvas of document.querySelectorAll('canvas[data-rsi]')) {
    const entry = lineChart(canvas, 'rsi', indicator(canvas.dataset.rsi, true), fmt.label);
    entry.hideEmpty = true;
    const band = (y, colour) => ({
      type: 'line',
      yMin: y,
      yMax: y,
      borderColor: css(colour),
      borderDash: [4, 4],
      borderWidth: 1,
    });
    entry.chart.options.plugins.annotation.annotations = {
      high: band(70, '--down'),
      low: band(30, '--up'),
    };
    redraw(entry);
  }
  for (const canvas of document.querySelectorAll('canvas[data-indicators]')) {
    const entry = lineChart(
      canvas,
      'price',
      indicator(canvas.dataset.indicators, false),
      fmt.label,
    );
    entry.hideEmpty = true;
    redraw(entry);
  }

  // /live: daily P&L bars.
  const dailyCanvas = document.getElementById('chart-daily');
  let daily = null;
  if (dailyCanvas) {
    const options = baseOptions((v) => fmt.number(v, 2));
    options.parsing = true;
    options.scales.x = {
      type: 'category',
      ticks: { color: css('--muted') },
      grid: { display: false },
    };
    options.plugins.legend.display = false;
    options.plugins.tooltip.callbacks.title = (items) => items[0]?.label ?? '';
    daily = draft(
      dailyCanvas,
      'bar',
      { labels: [], datasets: [{ label: 'P&L', data: [] }] },
      options,
    );
  }

  const fmtLine = (value, colour, label) =>
    window.tradewatchChartStyle.levelLine(
      value,
      css(colour),
      `${label} ${fmt.number(value, priceDigits ?? 2)}`,
    );

  const APPLY = {
    series(tail) {
      for (const entry of charts) {
        let changed = false;
        for (const [series, points] of Object.entries(tail))
          for (const [x, y] of points) changed = add(entry, series, x, y) || changed;
        if (changed) redraw(entry);
      }
    },
    daily(rows) {
      if (!daily) return;
      const { data } = daily.chart;
      data.labels = rows.map((r) => r.day.slice(5));
      data.datasets[0].data = rows.map((r) => r.pnl);
      data.datasets[0].backgroundColor = rows.map((r) =>
        r.pnl >= 0 ? css('--up') : css('--down'),
      );
      dailyCanvas.closest('.chart-box').hidden = rows.length === 0;
      drawSoon(daily);
    },
    overlay(o) {
      if (!priceChart) return;
      priceDigits = o.digits ?? priceDigits;
      const annotations = {};
      if (o.entry != null) annotations.entry = fmtLine(o.entry, '--accent', 'entry');
      if (o.sl != null) annotations.sl = fmtLine(o.sl, '--down', 'SL');
      if (o.tp != null) annotations.tp = fmtLine(o.tp, '--up', 'TP');
      const chart = priceChart.chart;
      chart.options.plugins.annotation.annotations = annotations;
      const markers = chart.data.datasets[chart.data.datasets.length - 1];
      markers.data = o.markers.map((m) => ({ x: m.t, y: m.y }));
      markers.pointStyle = o.markers.map((m) => (m.kind === 'entry' ? 'triangle' : 'rectRot'));
      markers.backgroundColor = o.markers.map((m) => (m.win ? css('--up') : css('--down')));
      markers.borderColor = markers.backgroundColor;
      redraw(priceChart);
    },
  };

  /** Reads every chart data element in (or at) `scope`: call it with any swapped-in content. */
  function refreshFrom(scope) {
    if (!scope?.querySelectorAll) return;
    const found = [...scope.querySelectorAll('[data-chart-json]')];
    if (scope.matches?.('[data-chart-json]')) found.push(scope);
    for (const el of found) {
      try {
        APPLY[el.dataset.chartJson]?.(JSON.parse(el.dataset.json || 'null'));
      } catch (error) {
        console.warn('tradewatch: bad chart data', error);
      }
    }
  }

  function append(t, values) {
    const tail = Object.fromEntries(Object.entries(values).map(([s, v]) => [s, [[t, v]]]));
    APPLY.series(tail);
  }

  function restyle() {
    for (const entry of charts) {
      for (const axis of Object.values(entry.chart.options.scales)) {
        if (axis.ticks) axis.ticks.color = css('--muted');
        if (axis.grid && axis.grid.display !== false) axis.grid.color = css('--chart-grid');
      }
      drawSoon(entry);
    }
  }

  refreshFrom(document);
  // Content htmx swaps in (panels from the stream or from polling): on the document, so this
  // works whether htmx has loaded yet or not.
  document.addEventListener('htmx:load', (event) => {
    if (event.target !== document.body) refreshFrom(event.detail?.elt);
  });
  window.tradewatchCharts = {
    append,
    refreshFrom,
    restyle,
    /** Charts built so far (each is built at the first frame after its canvas is found). */
    count: () => charts.filter((entry) => entry.chart instanceof window.Chart).length,
    points: (i) => charts[i]?.chart.data.datasets.reduce((n, d) => n + d.data.length, 0) ?? 0,
  };
})();
