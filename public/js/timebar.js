// Replay time bar: scrub the recorded window, play at 1×–16×, step between changes, jump between
// trades and alerts, back to live. Keys: Space, ←/→, Shift+←/→, L. The URL always holds the
// moment (?at=). In replay, moments are painted in place: the panels of that moment are fetched
// (?panels=json) and swapped into these (no live stream is open while replaying).
(() => {
  const bar = document.getElementById('timebar');
  if (!bar) return;
  const engine = bar.dataset.replayEngine;
  const range = bar.querySelector('.timebar-range');
  const timeText = bar.querySelector('.timebar-time');
  const marksBox = bar.querySelector('.timebar-marks');
  const playButton = bar.querySelector('[data-act="play"]');
  const speedSelect = bar.querySelector('.timebar-speed');
  const CHART_SPAN_MS = 6 * 3600_000;
  const PLAY_TICK_MS = 250;
  const PLAY_KEY = 'tradewatch-replay-play';
  let at = bar.dataset.at ? Number(bar.dataset.at) : null; // null: live
  const loadedAt = at;
  let windowMs = null;
  let marks = { trades: [], alerts: [], states: [] };
  let playTimer = null;
  let inflight = false;
  let queued = null;

  const clamp = (ms) => Math.min(Math.max(ms, windowMs.from), windowMs.to);
  const localLabel = (ms) => new Date(ms).toLocaleString();

  function urlFor(ms) {
    const url = new URL(window.location.href);
    if (ms === null) url.searchParams.delete('at');
    else url.searchParams.set('at', new Date(ms).toISOString());
    return url.toString();
  }

  // Ages in a past page are relative to that moment: stop the live "x s ago" ticker on them.
  function freezeAges(root) {
    if (at === null) return;
    for (const el of root.querySelectorAll('time[data-relative]'))
      el.removeAttribute('data-relative');
  }

  async function loadWindow() {
    const res = await fetch(`/api/v1/replay?engine=${encodeURIComponent(engine)}`);
    if (!res.ok) return;
    const body = await res.json();
    windowMs = body.window;
    marks = body.marks;
    draw();
  }

  function draw() {
    if (!windowMs) return;
    range.min = String(windowMs.from);
    range.max = String(windowMs.to);
    range.value = String(at ?? windowMs.to);
    range.disabled = false;
    const span = Math.max(1, windowMs.to - windowMs.from);
    const place = (t, kind, title) => {
      const mark = document.createElement('span');
      mark.className = `timebar-mark mark-${kind}`;
      mark.style.left = `${((t - windowMs.from) / span) * 100}%`;
      mark.title = title;
      return mark;
    };
    marksBox.replaceChildren(
      ...marks.states.map(([t, state]) => place(t, 'state', state)),
      ...marks.trades.map((t) => place(t, 'trade', 'trade')),
      ...marks.alerts.map(([t, level]) => place(t, 'alert', level)),
    );
    bar.dataset.ready = 'true';
  }

  function show(ms) {
    if (!windowMs) return;
    const target = clamp(ms);
    if (at === null) {
      window.location.assign(urlFor(target)); // leaving live: a full load closes the stream
      return;
    }
    at = target;
    range.value = String(target);
    window.history.replaceState(null, '', urlFor(target));
    if (Math.abs(target - loadedAt) > CHART_SPAN_MS / 3) {
      window.location.replace(urlFor(target)); // charts hold data around the loaded moment only
      return;
    }
    if (inflight) {
      queued = target;
      return;
    }
    inflight = true;
    const url = new URL(urlFor(target));
    url.searchParams.set('panels', 'json');
    fetch(url, { headers: { Accept: 'application/json' } })
      .then((res) => (res.ok ? res.json() : Promise.reject(new Error(`HTTP ${res.status}`))))
      .then((body) => paint(body, target))
      .catch((error) => console.warn('tradewatch: replay step failed', error))
      .finally(() => {
        inflight = false;
        const next = queued;
        queued = null;
        if (next !== null && next !== target) show(next);
      });
  }

  // Only the panels of the moment travel (?panels=json); each is swapped through htmx so
  // htmx.onLoad fires on it and charts.js re-reads the chart data in its data-json attributes.
  const lastHtml = new Map(); // panel name → the HTML last swapped in: an unchanged one is left
  function paint(body, ms) {
    for (const [name, html] of Object.entries(body.panels)) {
      const mine = document.getElementById(`panel-${name}`);
      if (!mine || lastHtml.get(name) === html) continue;
      lastHtml.set(name, html);
      if (window.htmx) window.htmx.swap(mine, html, { swapStyle: 'innerHTML', settleDelay: 0 });
      else {
        mine.innerHTML = html;
        window.tradewatchCharts?.refreshFrom(mine);
      }
    }
    const time = document.querySelector('#replay-badge time');
    if (time) {
      time.dateTime = body.replay.atIso;
      time.textContent = body.replay.label;
    }
    document.title = body.title;
    timeText.textContent = body.replay.label ?? localLabel(ms);
    freezeAges(document);
    window.tradewatchReplayCursor?.set(ms);
    document.body.dataset.replayAt = String(ms);
    bar.dataset.painted = String(ms);
  }

  function step(direction) {
    if (!windowMs) return;
    const from = at ?? windowMs.to;
    fetch(`/api/v1/replay/step?engine=${encodeURIComponent(engine)}&at=${from}&dir=${direction}`)
      .then((res) => res.json())
      .then((body) => {
        if (typeof body.at === 'number') show(body.at);
      });
  }

  function jump(direction) {
    if (!windowMs) return;
    const from = at ?? windowMs.to;
    const times = [...marks.trades, ...marks.alerts.map(([t]) => t)].sort((a, b) => a - b);
    const target =
      direction === 'next' ? times.find((t) => t > from) : times.filter((t) => t < from).pop();
    if (target !== undefined) show(target);
  }

  function setPlaying(on) {
    if (playTimer) clearInterval(playTimer);
    playTimer = null;
    playButton.textContent = on ? '⏸' : '▶';
    playButton.setAttribute('aria-label', on ? 'Pause' : 'Play');
    bar.dataset.playing = String(on);
    try {
      if (on) sessionStorage.setItem(PLAY_KEY, speedSelect.value);
      else sessionStorage.removeItem(PLAY_KEY);
    } catch {
      // Not kept over a reload; playing still works on this page.
    }
    if (!on) return;
    playTimer = setInterval(() => {
      if (at === null || !windowMs) return;
      if (at >= windowMs.to) return setPlaying(false);
      show(at + PLAY_TICK_MS * Number(speedSelect.value));
    }, PLAY_TICK_MS);
  }

  function togglePlay() {
    if (at === null) {
      if (!windowMs) return;
      try {
        sessionStorage.setItem(PLAY_KEY, speedSelect.value);
      } catch {}
      show(Math.max(windowMs.from, windowMs.to - 60_000)); // play the last minute
      return;
    }
    setPlaying(!playTimer);
  }

  const live = () => window.location.assign(urlFor(null));
  const actions = {
    play: togglePlay,
    prev: () => step('prev'),
    next: () => step('next'),
    'prev-mark': () => jump('prev'),
    'next-mark': () => jump('next'),
    live,
  };
  // A live page loads the recorded window when idle: an action asked for before that loads it
  // now and then runs.
  const whenWindow = (act) => {
    if (windowMs) act();
    else loadWindow().then(() => windowMs && act());
  };
  bar.addEventListener('click', (event) => {
    const act = actions[event.target.closest('[data-act]')?.dataset.act];
    if (act) whenWindow(act);
  });
  range.addEventListener('input', () => {
    timeText.textContent = localLabel(Number(range.value));
  });
  range.addEventListener('change', () => show(Number(range.value)));
  speedSelect.addEventListener('change', () => {
    if (playTimer) setPlaying(true);
  });

  document.addEventListener('keydown', (event) => {
    const target = event.target;
    if (target.closest?.('input:not([type="range"]), textarea, select, [contenteditable]')) return;
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const key = event.key;
    const shift = event.shiftKey;
    let act = null;
    if (key === ' ') act = togglePlay;
    else if (key === 'ArrowLeft') act = () => (shift ? jump('prev') : step('prev'));
    else if (key === 'ArrowRight') act = () => (shift ? jump('next') : step('next'));
    else if (key === 'l' || key === 'L') act = live;
    else return;
    event.preventDefault();
    whenWindow(act);
  });

  freezeAges(document);
  if (at !== null) {
    // No stream while replaying: say so where the connection state usually is.
    const connection = document.getElementById('connection');
    if (connection) {
      connection.className = 'conn conn-replay';
      connection.dataset.state = 'replay';
      const label = connection.querySelector('.conn-text');
      if (label) label.textContent = 'replay';
    }
  }
  if (at === null) {
    // Live: the marks are not what the page is opened for, and twenty tabs opened at once
    // would each queue a request before their stream. Load them when the page is idle (or at
    // the first touch of the bar), then keep the growing window fresh while the tab is shown.
    const REFRESH_MS = 30_000;
    let loadedMs = 0;
    const refresh = () => {
      if (Date.now() - loadedMs < REFRESH_MS) return;
      loadedMs = Date.now();
      loadWindow();
    };
    const whenIdle = window.requestIdleCallback ?? ((run) => setTimeout(run, 1000));
    whenIdle(refresh, { timeout: 5000 });
    bar.addEventListener('pointerenter', refresh, { once: true });
    bar.addEventListener('focusin', refresh, { once: true });
    setInterval(() => document.visibilityState === 'visible' && refresh(), REFRESH_MS);
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'visible') refresh();
    });
  } else {
    loadWindow().then(() => {
      let speed = null;
      try {
        speed = sessionStorage.getItem(PLAY_KEY);
      } catch {}
      if (speed) {
        speedSelect.value = speed;
        setPlaying(true);
      }
    });
  }
})();
