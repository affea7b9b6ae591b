// How charts label things: times in the dashboard's zone and clock (the same as page text and
// logs), series names in words with units, bytes per second scaled, prices at their precision.
window.tradewatchFormat = (() => {
  const dataEl = document.getElementById('chart-data');
  const config = dataEl ? JSON.parse(dataEl.textContent || '{}') : {};
  const zone = config.zone || undefined;
  const hour12 = config.clock === '12h';
  const formats = new Map();
  function format(key, options) {
    let f = formats.get(key);
    if (!f) {
      try {
        f = new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour12, ...options });
      } catch {
        f = new Intl.DateTimeFormat('en-GB', { hour12, ...options }); // unknown zone: the browser's
      }
      formats.set(key, f);
    }
    return f;
  }
  const HM = { hour: '2-digit', minute: '2-digit' };

  /** An axis tick: seconds when the axis spans under ten minutes, the date when over a day. */
  function tick(ms, spanMs) {
    if (spanMs > 2 * 86_400_000) return format('dm', { day: '2-digit', month: 'short' }).format(ms);
    if (spanMs < 600_000) return format('hms', { ...HM, second: '2-digit' }).format(ms);
    return format('hm', HM).format(ms);
  }

  /** A tooltip's time: `2026-11-30 17:04:05`-like, in the dashboard's zone. */
  function full(ms) {
    return format('full', {
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      ...HM,
      second: '2-digit',
    }).format(ms);
  }

  // One formatter per precision: toLocaleString(options) builds a new one at every tick label.
  const numberFormats = new Map();
  function number(value, digits) {
    let f = numberFormats.get(digits);
    if (!f) {
      f = new Intl.NumberFormat('en-US', {
        minimumFractionDigits: digits,
        maximumFractionDigits: digits,
      });
      numberFormats.set(digits, f);
    }
    return f.format(Number(value));
  }

  /** `950 B/s`, `12.5 KB/s`, `3.2 MB/s` (decimal units, as network rates are quoted). */
  function rate(bytes) {
    const units = ['B/s', 'KB/s', 'MB/s', 'GB/s'];
    let v = Math.abs(bytes);
    let unit = 0;
    while (v >= 1000 && unit < units.length - 1) {
      v /= 1000;
      unit++;
    }
    return `${bytes < 0 ? '−' : ''}${number(v, unit === 0 || v >= 100 ? 0 : 1)} ${units[unit]}`;
  }

  const LABELS = {
    equity: 'Equity',
    cpu_percent: 'CPU (%)',
    memory_percent: 'Memory (%)',
    load_1m: 'Load average (1 min)',
    net_rx_bytes_per_sec: 'Received (per second)',
    net_tx_bytes_per_sec: 'Sent (per second)',
  };
  /** A legend label in words: known names, a mount or process for prefixed series, else the field. */
  function label(series) {
    if (LABELS[series]) return LABELS[series];
    if (series.startsWith('disk_percent:')) return `${series.slice(13)} used (%)`;
    if (series.startsWith('engine_cpu_percent:')) return `${series.slice(19)} CPU (%)`;
    return series.split(':').pop();
  }

  return { tick, full, number, rate, label };
})();
