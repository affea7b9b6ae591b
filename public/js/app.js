// tradewatch page glue: panels, title, favicon and chart points from the browser's shared
// stream (shared-stream.js), the connection indicator and the offline state, relative times,
// the theme toggle, and htmx polling when Server-Sent Events are not available.
(() => {
  const root = document.getElementById('live-root');
  const connection = document.getElementById('connection');
  const favicon = document.getElementById('favicon');
  // "Lost the dashboard for more than two poll intervals" is offline.
  const pollMs = Number(root?.dataset.pollMs) || 1000;
  const OFFLINE_AFTER_MS = 2 * pollMs;
  const polling = Boolean(root) && typeof window.EventSource === 'undefined';
  let lostSince = null;
  let offline = false;
  let title = document.title;
  let icon = favicon?.getAttribute('href') ?? '';
  /** Liveness badges as they were before the page went offline. */
  const saved = new Map();

  function setConnection(state) {
    if (!connection) return;
    connection.className = `conn conn-${state}`;
    connection.dataset.state = state;
    connection.querySelector('.conn-text').textContent = state;
  }

  function goOffline() {
    offline = true;
    setConnection('offline');
    document.body.dataset.connection = 'offline';
    for (const badge of document.querySelectorAll('.badge[data-state]')) {
      saved.set(badge, { className: badge.className, html: badge.innerHTML });
      badge.className = 'badge badge-offline';
      badge.textContent = '● Offline';
      badge.title = 'the dashboard cannot be reached: what this page shows may be out of date';
    }
    document.title = `offline · ${title}`;
    if (favicon) favicon.href = '/favicon.svg?state=offline';
  }

  function goOnline() {
    offline = false;
    delete document.body.dataset.connection;
    for (const [badge, before] of saved) {
      badge.className = before.className;
      badge.innerHTML = before.html;
    }
    saved.clear();
    document.title = title;
    if (favicon) favicon.href = icon;
  }

  function connected() {
    lostSince = null;
    if (offline) goOnline();
    setConnection(polling ? 'polling' : 'live');
  }

  function lost() {
    lostSince = lostSince ?? Date.now();
    if (!offline) setConnection(navigator.onLine ? 'reconnecting' : 'offline');
  }
  setInterval(
    () => {
      if (lostSince !== null && !offline && Date.now() - lostSince > OFFLINE_AFTER_MS) goOffline();
    },
    Math.min(250, pollMs),
  );
  window.addEventListener('offline', lost);

  function applyMeta(meta) {
    title = meta.title;
    icon = `/favicon.svg?state=${encodeURIComponent(meta.state)}&n=${meta.positions}`;
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
    if (offline) return;
    document.title = title;
    if (favicon) favicon.href = icon;
  }

  // Panels come through htmx, so htmx:load and htmx:afterSwap fire as for any swap. What each
  // panel shows is known by its digest, starting with those the page was rendered with: a tab
  // joining the stream is sent every panel, and it need not draw again what it already shows.
  const shown = new Map(Object.entries(JSON.parse(root?.dataset.panelHashes || '{}')));
  function swapPanel(name, html, hash) {
    const panel = root.querySelector(`[data-panel="${CSS.escape(name)}"]`);
    const seen = hash ?? html;
    if (!panel || shown.get(name) === seen) return;
    shown.set(name, seen);
    window.htmx?.swap(panel, html, { swapStyle: 'innerHTML', swapDelay: 0, settleDelay: 0 });
  }

  if (root && !polling) {
    window.tradewatchStream?.join(
      `${root.dataset.page}?${root.dataset.query}`,
      (name, data) => {
        if (name === 'panel') swapPanel(data.p, data.h, data.k);
        else if (name === 'meta') applyMeta(data);
        else if (name === 'points') window.tradewatchCharts?.append(data.t, data.v);
      },
      // 'connecting' (a leader's stream not open yet) is neither news nor a loss.
      (state) => {
        if (state === 'live') connected();
        else if (state === 'reconnecting') lost();
      },
    );
  }

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
  }, 1000);

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
  if (polling) {
    setConnection('polling');
    const base = root.dataset.panelUrl;
    const query = root.dataset.query;
    document.body.addEventListener('htmx:sendError', lost);
    document.body.addEventListener('htmx:afterRequest', (event) => {
      if (event.detail.xhr?.status > 0) connected();
    });
    setInterval(
      () => {
        for (const panel of root.querySelectorAll('[data-panel]')) {
          // Each panel is its own request source, so htmx does not queue one behind another.
          window.htmx?.ajax('GET', `${base}/${panel.dataset.panel}?${query}`, {
            source: panel,
            target: panel,
            swap: 'innerHTML',
          });
        }
      },
      Math.max(1000, pollMs),
    );
  }
})();
