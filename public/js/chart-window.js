// What an open chart keeps of its samples, so that it draws what a fresh load of the page would
// (DESIGN invariant 9): the load's time window, and at most MAX_POINTS a line.
window.tradewatchChartWindow = (() => {
  const MAX_POINTS = 2000;

  /**
   * Keeps the window before the newest sample (the server's clock, not this browser's), and
   * above MAX_POINTS all but the newest half averaged into buckets of the load's size, so a page
   * open for days still covers the whole window. `data` is `{x, y}` points, oldest first.
   */
  function trim(data, windowMs, bucketMs) {
    const newest = data[data.length - 1].x;
    let old = 0;
    while (windowMs && old < data.length && data[old].x < newest - windowMs) old++;
    if (old) data.splice(0, old);
    if (data.length <= MAX_POINTS) return;
    const recent = data.length - MAX_POINTS / 2;
    if (bucketMs) {
      const buckets = [];
      for (const p of data.slice(0, recent)) {
        const last = buckets[buckets.length - 1];
        if (last && Math.floor(last.key) === Math.floor(p.x / bucketMs)) {
          last.xs += p.x;
          last.ys += p.y;
          last.n++;
        } else buckets.push({ key: p.x / bucketMs, xs: p.x, ys: p.y, n: 1 });
      }
      data.splice(0, recent, ...buckets.map((b) => ({ x: b.xs / b.n, y: b.ys / b.n })));
    }
    // Without a bucket size (or buckets still too many), the oldest go.
    if (data.length > MAX_POINTS) data.splice(0, data.length - MAX_POINTS);
  }

  /** The earliest and latest x of all datasets (lo > hi when there is no sample). */
  function span(datasets) {
    // A loop, not Math.min(...xs): spreading every point can pass the argument limit.
    let lo = Number.POSITIVE_INFINITY;
    let hi = Number.NEGATIVE_INFINITY;
    for (const d of datasets) {
      for (const p of d.data) {
        if (p.x < lo) lo = p.x;
        if (p.x > hi) hi = p.x;
      }
    }
    return { lo, hi };
  }

  return { trim, span };
})();
