// How charts look: shared Chart.js options, axis kinds, line datasets and level lines.
window.tradewatchChartStyle = (() => {
  const fmt = window.tradewatchFormat;
  // Colours are read once per theme: each getComputedStyle read after a chart resized its
  // canvas forced a style recalculation, several per chart on every page load.
  const colours = new Map();
  let coloursTheme = null;
  function css(name) {
    const theme = document.documentElement.dataset.theme;
    if (theme !== coloursTheme) {
      colours.clear();
      coloursTheme = theme;
    }
    let value = colours.get(name);
    if (value === undefined) {
      value = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
      colours.set(name, value);
    }
    return value;
  }
  const PALETTE = ['#6ea8ff', '#f5b83d', '#c084fc', '#3ccf8e', '#ff8fab', '#5eead4'];

  /**
   * Longer than this without a sample, a line breaks: a dashboard or engine that was down is a
   * gap, not a straight line claiming the values in between. (A 24 h chart has a sample per
   * 86.4 s bucket, and an unchanged value is still sampled every minute while the engine
   * writes, so a longer gap means nothing was read.)
   */
  const GAP_MS = 5 * 60_000;

  /** A sample with no neighbour within GAP_MS draws no line: it is drawn as a dot. */
  function isolated(data, i) {
    const x = data[i]?.x;
    if (x === undefined) return false;
    const before = i === 0 || x - data[i - 1].x > GAP_MS;
    const after = i === data.length - 1 || data[i + 1].x - x > GAP_MS;
    return before && after;
  }

  function baseOptions(yTick) {
    return {
      animation: false,
      spanGaps: GAP_MS,
      responsive: true,
      maintainAspectRatio: false,
      parsing: false,
      normalized: true,
      interaction: { mode: 'nearest', intersect: false },
      plugins: {
        legend: { labels: { color: css('--muted'), boxWidth: 10 } },
        annotation: { annotations: {} },
        tooltip: {
          callbacks: {
            title: (items) => (items.length ? fmt.full(items[0].parsed.x) : ''),
            label: (item) => `${item.dataset.label}: ${yTick(item.parsed.y)}`,
          },
        },
      },
      scales: {
        x: {
          type: 'time',
          time: { minUnit: 'second' },
          ticks: {
            color: css('--muted'),
            maxRotation: 0,
            autoSkipPadding: 16,
            callback(value) {
              return fmt.tick(value, this.max - this.min);
            },
          },
          grid: { color: css('--chart-grid') },
        },
        y: {
          ticks: { color: css('--muted'), callback: (value) => yTick(value) },
          grid: { color: css('--chart-grid') },
        },
      },
    };
  }

  const axes = (priceDigits) => ({
    // A percentage of a whole keeps its whole scale: 0.4 % of change is not full height.
    percent: { min: 0, max: 100, tick: (v) => `${fmt.number(v, 0)} %` },
    'percent-open': { min: 0, suggestedMax: 100, tick: (v) => `${fmt.number(v, 0)} %` },
    rate: { min: 0, tick: (v) => fmt.rate(v) },
    count: { min: 0, tick: (v) => fmt.number(v, 2) },
    money: { tick: (v) => fmt.number(v, 2) },
    price: { tick: (v) => fmt.number(v, priceDigits() ?? 2) },
    rsi: { min: 0, max: 100, tick: (v) => fmt.number(v, 0) },
  });

  function lineDataset(label, points, colour) {
    return {
      label,
      data: (points || []).map(([x, y]) => ({ x, y })),
      borderColor: colour,
      backgroundColor: colour,
      borderWidth: 1.5,
      // A single sample (alone, or between gaps) is drawn as a dot; a line shows no dots.
      pointRadius: (ctx) => (isolated(ctx.dataset.data, ctx.dataIndex) ? 3 : 0),
      tension: 0,
    };
  }

  /** A dashed horizontal line at a price (entry, SL, TP) with its label. */
  function levelLine(value, colour, text) {
    return {
      type: 'line',
      yMin: value,
      yMax: value,
      borderColor: colour,
      borderWidth: 1,
      borderDash: [6, 4],
      label: {
        display: true,
        content: text,
        position: 'end',
        backgroundColor: colour,
        font: { size: 10 },
      },
    };
  }

  return { PALETTE, css, baseOptions, axes, lineDataset, levelLine };
})();
