// Chart.js glue: charts are created once, then points are appended in place (no re-creation,
// no flicker) and each dataset is capped, so a tab left open all day does not grow.
(() => {
  const MAX_POINTS = 2000;
  const dataEl = document.getElementById('chart-data');
  if (!window.Chart || !dataEl) return;
  const initial = JSON.parse(dataEl.textContent || '{}');
  const charts = []; // { chart, feeds: Map<series, dataset> }
  const css = (name) => getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  const PALETTE = ['#6ea8ff', '#f5b83d', '#c084fc', '#3ccf8e', '#ff8fab', '#5eead4'];

  function baseOptions() {
    return {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      parsing: false,
      normalized: true,
      interaction: { mode: 'nearest', intersect: false },
      plugins: {
        legend: { labels: { color: css('--muted'), boxWidth: 10 } },
        annotation: { annotations: {} },
      },
      scales: {
        x: {
          type: 'time',
          ticks: { color: css('--muted'), maxRotation: 0, autoSkipPadding: 16 },
          grid: { color: css('--chart-grid') },
        },
        y: { ticks: { color: css('--muted') }, grid: { color: css('--chart-grid') } },
      },
    };
  }

  const toXY = (points) => (points || []).map(([x, y]) => ({ x, y }));

  function lineDataset(label, points, colour) {
    return {
      label,
      data: toXY(points),
      borderColor: colour,
      backgroundColor: colour,
      borderWidth: 1.5,
      pointRadius: 0,
      tension: 0,
    };
  }

  function make(canvas, datasets, extra) {
    const options = baseOptions();
    if (extra) extra(options);
    const chart = new window.Chart(canvas, { type: 'line', data: { datasets }, options });
    const entry = { chart, feeds: new Map() };
    charts.push(entry);
    return entry;
  }

  // Line charts: /live's equity (data-line="equity"), /system's host series (comma-separated
  // names, or data-line-prefix="disk_percent:" for one line per mount as they appear).
  const labelOf = (series, prefix) => (prefix ? series.slice(prefix.length) : series);
  for (const canvas of document.querySelectorAll('canvas[data-line], canvas[data-line-prefix]')) {
    const prefix = canvas.dataset.linePrefix || null;
    const names = prefix
      ? Object.keys(initial).filter((k) => k.startsWith(prefix))
      : canvas.dataset.line.split(',');
    const datasets = names.map((series, i) =>
      lineDataset(
        labelOf(series, prefix),
        initial[series],
        i === 0 ? css('--accent') : PALETTE[i % PALETTE.length],
      ),
    );
    const entry = make(canvas, datasets, (o) => {
      o.plugins.legend.display = names.length > 1 || Boolean(prefix);
    });
    entry.prefix = prefix;
    names.forEach((series, i) => {
      entry.feeds.set(series, entry.chart.data.datasets[i]);
    });
  }

  // /live/symbol/:symbol: price with entry/SL/TP lines and trade markers.
  let priceChart = null;
  for (const canvas of document.querySelectorAll('canvas[data-price]')) {
    const symbol = canvas.dataset.price;
    const markers = {
      label: 'trades',
      type: 'scatter',
      data: [],
      pointRadius: 5,
      pointStyle: [],
      backgroundColor: [],
      borderColor: [],
      showLine: false,
    };
    const entry = make(canvas, [
      lineDataset(symbol, initial[`price:${symbol}`], css('--accent')),
      markers,
    ]);
    entry.feeds.set(`price:${symbol}`, entry.chart.data.datasets[0]);
    priceChart = entry.chart;
  }

  // RSI with 30/70 bands; every other indicator on a second chart.
  for (const canvas of document.querySelectorAll('canvas[data-rsi]')) {
    const symbol = canvas.dataset.rsi;
    const name = Object.keys(initial).find(
      (s) => s.startsWith(`ind:${symbol}:`) && /:rsi/i.test(s),
    );
    if (!name) {
      canvas.closest('.chart-box').hidden = true;
      continue;
    }
    const entry = make(
      canvas,
      [lineDataset(name.split(':').pop(), initial[name], PALETTE[1])],
      (o) => {
        o.scales.y.min = 0;
        o.scales.y.max = 100;
        o.plugins.annotation.annotations = {
          high: {
            type: 'line',
            yMin: 70,
            yMax: 70,
            borderColor: css('--down'),
            borderDash: [4, 4],
            borderWidth: 1,
          },
          low: {
            type: 'line',
            yMin: 30,
            yMax: 30,
            borderColor: css('--up'),
            borderDash: [4, 4],
            borderWidth: 1,
          },
        };
      },
    );
    entry.feeds.set(name, entry.chart.data.datasets[0]);
  }
  for (const canvas of document.querySelectorAll('canvas[data-indicators]')) {
    const symbol = canvas.dataset.indicators;
    const names = Object.keys(initial).filter(
      (s) => s.startsWith(`ind:${symbol}:`) && !/:rsi/i.test(s),
    );
    if (!names.length) {
      canvas.closest('.chart-box').hidden = true;
      continue;
    }
    const entry = make(
      canvas,
      names.map((n, i) =>
        lineDataset(n.split(':').pop(), initial[n], PALETTE[(i + 2) % PALETTE.length]),
      ),
    );
    names.forEach((n, i) => {
      entry.feeds.set(n, entry.chart.data.datasets[i]);
    });
  }

  // /live: daily P&L bars, from the performance panel's data block.
  const dailyCanvas = document.getElementById('chart-daily');
  let dailyChart = null;
  if (dailyCanvas) {
    const options = baseOptions();
    options.parsing = true;
    options.scales.x = {
      type: 'category',
      ticks: { color: css('--muted') },
      grid: { display: false },
    };
    options.plugins.legend.display = false;
    dailyChart = new window.Chart(dailyCanvas, {
      type: 'bar',
      data: { labels: [], datasets: [{ label: 'P&L', data: [] }] },
      options,
    });
    charts.push({ chart: dailyChart, feeds: new Map() });
  }

  function refreshFrom(scope) {
    const daily = scope.querySelector?.('script.daily-data');
    if (daily && dailyChart) {
      const rows = JSON.parse(daily.textContent || '[]');
      dailyChart.data.labels = rows.map((r) => r.day.slice(5));
      dailyChart.data.datasets[0].data = rows.map((r) => r.pnl);
      dailyChart.data.datasets[0].backgroundColor = rows.map((r) =>
        r.pnl >= 0 ? css('--up') : css('--down'),
      );
      dailyChart.update('none');
    }
    const overlay = scope.querySelector?.('script.overlay-data');
    if (overlay && priceChart) {
      const o = JSON.parse(overlay.textContent || '{}');
      const line = (value, colour, label) =>
        value == null
          ? null
          : {
              type: 'line',
              yMin: value,
              yMax: value,
              borderColor: colour,
              borderWidth: 1,
              borderDash: [6, 4],
              label: {
                display: true,
                content: label,
                position: 'end',
                backgroundColor: colour,
                font: { size: 10 },
              },
            };
      const annotations = {};
      for (const [key, value] of Object.entries({
        entry: line(o.entry, css('--accent'), 'entry'),
        sl: line(o.sl, css('--down'), 'SL'),
        tp: line(o.tp, css('--up'), 'TP'),
      })) {
        if (value) annotations[key] = value;
      }
      priceChart.options.plugins.annotation.annotations = annotations;
      const markers = priceChart.data.datasets[1];
      markers.data = o.markers.map((m) => ({ x: m.t, y: m.y }));
      markers.pointStyle = o.markers.map((m) => (m.kind === 'entry' ? 'triangle' : 'rectRot'));
      markers.backgroundColor = o.markers.map((m) => (m.win ? css('--up') : css('--down')));
      markers.borderColor = markers.backgroundColor;
      priceChart.update('none');
    }
  }

  function append(t, values) {
    for (const entry of charts) {
      const { chart, feeds } = entry;
      let changed = false;
      for (const [series, value] of Object.entries(values)) {
        let dataset = feeds.get(series);
        if (!dataset && entry.prefix && series.startsWith(entry.prefix)) {
          const colour = PALETTE[chart.data.datasets.length % PALETTE.length];
          dataset = lineDataset(labelOf(series, entry.prefix), [], colour);
          chart.data.datasets.push(dataset);
          feeds.set(series, dataset);
        }
        if (!dataset) continue;
        dataset.data.push({ x: t, y: value });
        if (dataset.data.length > MAX_POINTS)
          dataset.data.splice(0, dataset.data.length - MAX_POINTS);
        changed = true;
      }
      if (changed) chart.update('none');
    }
  }

  function restyle() {
    for (const { chart } of charts) {
      for (const axis of Object.values(chart.options.scales)) {
        if (axis.ticks) axis.ticks.color = css('--muted');
        if (axis.grid && axis.grid.display !== false) axis.grid.color = css('--chart-grid');
      }
      chart.update('none');
    }
  }

  refreshFrom(document);
  window.tradewatchCharts = {
    append,
    refreshFrom,
    restyle,
    count: () => charts.length,
    points: (i) => charts[i]?.chart.data.datasets.reduce((n, d) => n + d.data.length, 0) ?? 0,
  };
})();
