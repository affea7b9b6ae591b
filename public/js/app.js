// tradewatch page glue: connection indicator, relative times, title/favicon, chart feeds,
// theme toggle, and htmx polling when Server-Sent Events are not available.
(() => {
  const root = document.getElementById('live-root');
  const connection = document.getElementById('connection');
  const OFFLINE_AFTER_MS = 30_000;
  let lostSince = null;

  function setConnection(state) {
    if (!connection) return;
    connection.className = `conn conn-${state}`;
    connection.dataset.state = state;
    connection.querySelector('.conn-text').textContent = state;
  }

  document.body.addEventListener('htmx:sseOpen', () => {
    lostSince = null;
    setConnection('live');
  });
  document.body.addEventListener('htmx:sseError', () => {
    lostSince = lostSince ?? Date.now();
    setConnection(
      Date.now() - lostSince > OFFLINE_AFTER_MS || !navigator.onLine ? 'offline' : 'reconnecting',
    );
  });
  window.addEventListener('offline', () => setConnection('offline'));

  // Ages ("12 s ago") move on between server pushes.
  function relative(ms) {
    if (!Number.isFinite(ms) || ms < 1500) return 'just now';
    const s = Math.round(ms / 1000);
    if (s < 60) return `${s} s ago`;
    const m = Math.floor(s / 60);
    if (m < 60) return `${m} min ago`;
    const h = Math.floor(m / 60);
    return h < 48 ? `${h} h ago` : `${Math.floor(h / 24)} d ago`;
  }
  setInterval(() => {
    const now = Date.now();
    for (const el of document.querySelectorAll('time[data-relative]')) {
      el.textContent = relative(now - Date.parse(el.getAttribute('datetime')));
    }
    if (lostSince && Date.now() - lostSince > OFFLINE_AFTER_MS) setConnection('offline');
  }, 1000);

  // Non-HTML events: read them, never swap them into the page.
  function onFeed(id, handle) {
    const el = document.getElementById(id);
    if (!el) return;
    el.addEventListener('htmx:sseBeforeMessage', (event) => {
      event.preventDefault();
      try {
        handle(JSON.parse(event.detail.data));
      } catch (error) {
        console.warn('tradewatch: bad feed message', error);
      }
    });
  }
  const favicon = document.getElementById('favicon');
  onFeed('meta-feed', (meta) => {
    document.title = meta.title;
    if (favicon)
      favicon.href = `/favicon.svg?state=${encodeURIComponent(meta.state)}&n=${meta.positions}`;
    document.body.dataset.engineState = meta.state;
    for (const [id, count] of [
      ['alert-count', meta.alerts],
      ['log-error-count', meta.logErrors],
    ]) {
      const badge = document.getElementById(id);
      if (!badge) continue;
      badge.textContent = count ? String(count) : '';
      badge.hidden = !count;
    }
  });
  onFeed('points-feed', (points) => window.tradewatchCharts?.append(points.t, points.v));

  // Panels that carry chart data (daily P&L bars, SL/TP lines) refresh their charts after a swap.
  document.body.addEventListener('htmx:afterSwap', (event) =>
    window.tradewatchCharts?.refreshFrom(event.target),
  );

  const toggle = document.getElementById('theme-toggle');
  toggle?.addEventListener('click', () => {
    const next = document.documentElement.dataset.theme === 'light' ? 'dark' : 'light';
    document.documentElement.dataset.theme = next;
    try {
      localStorage.setItem('tradewatch-theme', next);
    } catch {
      // Not saved; the choice lasts for this page.
    }
    window.tradewatchCharts?.restyle();
  });

  // Fallback: without EventSource, poll each panel; unchanged panels answer 304 unrendered.
  // This script runs before htmx processes the page, so the SSE extension never sees the stream.
  if (root && typeof window.EventSource === 'undefined') {
    root.removeAttribute('sse-connect');
    root.removeAttribute('hx-ext');
    setConnection('polling');
    const base = root.dataset.panelUrl;
    const query = root.dataset.query;
    setInterval(() => {
      for (const panel of root.querySelectorAll('[data-panel]')) {
        // Each panel is its own request source, so htmx does not queue one behind another.
        window.htmx?.ajax('GET', `${base}/${panel.dataset.panel}?${query}`, {
          source: panel,
          target: panel,
          swap: 'innerHTML',
        });
      }
    }, 2000);
  }
})();
