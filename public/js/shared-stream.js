// One Server-Sent Events stream per browser, shared by all its tabs: over HTTP/1.1 a browser
// opens six connections per host, and a stream per tab froze the seventh tab and the other six.
// One tab leads: it holds the stream /live/stream?sub=PAGE?QUERY&sub=... with every open tab's
// page, and relays each event over a BroadcastChannel; every tab takes the events tagged with its
// own page. The leader is the holder of a Web Lock where the browser has Web Locks (https,
// localhost); elsewhere (plain http on a LAN) it is the oldest tab that answers on the channel.
// A lock can take seconds to be granted while a browser opens many tabs, so until one is, the
// oldest tab leads as it would without Web Locks, and yields to the lock's holder when there is
// one. Without BroadcastChannel each tab holds its own stream.
(() => {
  const CHANNEL = 'tradewatch-stream';
  const LOCK = 'tradewatch-stream-leader';
  const EVENTS = ['panel', 'meta', 'points'];
  /** How long a new tab listens for a leader and older tabs before it may lead. */
  const SETTLE_MS = 150;
  /** Tabs opened together become one new stream, not one each (each reopening sends all panels). */
  const REOPEN_MS = 250;
  const RETRY_MS = 2000;
  const ROLL_CALL_MS = 1000;
  /** Without Web Locks: the leader's sign of life, and how long followers wait for it. */
  const BEAT_MS = 1000;
  // Above a minute: a background leader's timers run only once a minute (browser throttling),
  // and a shorter wait made quiet tabs take the lead and step down again at every beat.
  const LEADER_TIMEOUT_MS = 75_000;
  /** How long a tab coming into view waits for the leader to answer before taking over. */
  const PING_MS = 1000;
  /** After the leader closed, how long tabs stay 'live' waiting for the next one. */
  const HANDOVER_MS = 3000;

  /**
   * Joins the browser's stream for one page. `onEvent(name, data)` gets this page's `panel`,
   * `meta` and `points` events; `onState(state)` gets `live` or `reconnecting`.
   */
  function join(tag, onEvent, onState) {
    // Ids sort by age: the oldest tab wins an election without Web Locks.
    const id = `${Date.now().toString(36).padStart(9, '0')}-${Math.random().toString(36).slice(2)}`;
    const channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel(CHANNEL) : null;
    // Events go out on one channel per page, so a tab decodes only its own page's panels.
    const mine = channel ? new BroadcastChannel(`${CHANNEL}:${tag}`) : null;
    const relays = new Map();
    const relay = (name, data) => {
      if (typeof data?.s !== 'string') return;
      let out = relays.get(data.s);
      if (!out) {
        out = new BroadcastChannel(`${CHANNEL}:${data.s}`);
        relays.set(data.s, out);
      }
      out.postMessage({ from: id, name, data });
    };
    const locks = channel ? navigator.locks : undefined;
    const tabs = new Map([[id, tag]]);
    let leading = false;
    let state = 'connecting';
    let leaderId = null;
    let leaderSeenMs = Date.now();
    let openedKey = '';
    let reopenTimer = null;
    let answered = null; // tabs that answered the new leader's roll call

    const post = (message) => channel?.postMessage({ from: id, ...message });
    const deliver = (name, data) => {
      if (data && data.s === tag) onEvent(name, data);
    };
    const setState = (next) => {
      state = next;
      onState(next);
      if (leading) post({ type: 'state', state: next, lock: holdsLock });
    };
    /** Whether the leader that sent `m` should lead instead of this one: the lock's holder does. */
    const outranks = (m) => {
      // The holder never yields to a message: a thawed tab may still claim the lock it lost,
      // and it learns so from its rejected request, not from us.
      if (locks && holdsLock) return false;
      if (locks && m.lock) return true;
      return m.from < id; // both without the lock (or no Web Locks): the older tab
    };

    // The leader's stream: a new set of pages takes over once its stream is open.
    const stream = window.tradewatchSwitchingSource(EVENTS, {
      onEvent(name, data) {
        if (channel) relay(name, data);
        deliver(name, data);
      },
      onLive: () => setState('live'),
      onLost: () => setState('reconnecting'),
      retry() {
        openedKey = '';
        setTimeout(open, RETRY_MS);
      },
    });

    function subscriptions() {
      const tags = [...new Set(tabs.values())].sort();
      return {
        key: tags.join('\n'),
        url: `/live/stream?${tags.map((t) => `sub=${encodeURIComponent(t)}`).join('&')}`,
      };
    }

    function open() {
      reopenTimer = null;
      if (!leading) return;
      const { key, url } = subscriptions();
      if (key === openedKey && stream.isOpen()) return;
      openedKey = key;
      // Pages no tab shows any more need no relay channel.
      const shown = new Set(tabs.values());
      for (const [relayed, out] of relays) {
        if (shown.has(relayed)) continue;
        out.close();
        relays.delete(relayed);
      }
      stream.open(url);
    }

    const reopenSoon = () => {
      if (leading && !reopenTimer) reopenTimer = setTimeout(open, REOPEN_MS);
    };

    // Which tab holds the stream, for people and tests looking at the page.
    const role = (name) => {
      document.documentElement.dataset.streamRole = name;
    };
    role('follower');

    function lead() {
      if (leading) return;
      leading = true;
      role('leader');
      leaderId = id;
      // The stream opens at once with the pages known; tabs that left without a word are
      // dropped once the others have answered the roll call.
      answered = new Set([id]);
      post({ type: 'roll-call' });
      open();
      setTimeout(() => {
        for (const key of [...tabs.keys()]) if (!answered.has(key)) tabs.delete(key);
        answered = null;
        reopenSoon();
      }, ROLL_CALL_MS);
    }

    function stepDown() {
      leading = false;
      role('follower');
      stream.close();
      for (const out of relays.values()) out.close();
      relays.clear();
      openedKey = '';
    }

    function elect() {
      const oldest = [...tabs.keys()].sort()[0];
      if (oldest === id) lead();
    }

    // The leader's answer names every tab it knows: with only the leader answering a new tab,
    // that is how each tab knows them all, and tabs that elect a leader elect the same one.
    const here = () =>
      post({
        type: 'here',
        tag,
        leader: leading,
        lock: holdsLock,
        state,
        ...(leading ? { tabs: [...tabs] } : {}),
      });

    if (channel) {
      channel.onmessage = ({ data: m }) => {
        if (!m || typeof m.from !== 'string') return;
        const fromLeader = m.type === 'state' || m.type === 'beat' || m.leader;
        if (fromLeader) {
          leaderId = m.from;
          leaderSeenMs = Date.now();
          // Two leaders (a throttled tab came back, or one led before the lock was granted).
          if (leading && m.from !== id && outranks(m)) stepDown();
        }
        if (m.type === 'hello' || m.type === 'here') {
          tabs.set(m.from, m.tag);
          if (m.leader && Array.isArray(m.tabs))
            for (const [tab, page] of m.tabs)
              if (typeof tab === 'string' && typeof page === 'string') tabs.set(tab, page);
          answered?.add(m.from);
          // Once there is a leader only it answers: twenty tabs opening each answered by all
          // the others made 2,611 deliveries, each waking a tab.
          if (m.type === 'hello' && (leading || leaderId === null)) here();
          reopenSoon();
        }
        if (m.type === 'roll-call' || (m.type === 'ping' && leading)) here();
        if (m.type === 'bye') {
          tabs.delete(m.from);
          reopenSoon();
          if (m.from === leaderId) leaderLeft();
        }
        if (leading) return;
        if (m.type === 'state' || (m.type === 'here' && m.leader)) onState(m.state);
      };
      mine.onmessage = ({ data: m }) => {
        if (!m || typeof m.from !== 'string' || m.from === id) return;
        leaderId = m.from;
        leaderSeenMs = Date.now();
        // The leader's own events reach its own channel object too: it delivered them already.
        if (!leading) deliver(m.name, m.data);
      };
      window.addEventListener('pagehide', () => {
        // The stream dies with the page: that is not news for the other tabs.
        if (leading) stepDown();
        post({ type: 'bye' });
      });
      // Back from the back/forward cache: the other tabs forgot this one when it was hidden.
      window.addEventListener('pageshow', (event) => {
        if (!event.persisted) return;
        post({ type: 'hello', tag });
        if (holdsLock) lead();
        else if (!locks) setTimeout(elect, SETTLE_MS);
      });
      post({ type: 'hello', tag });
    }

    let holdsLock = false;
    // Queued until the leader's tab goes; `steal` takes it from a leader that no longer answers,
    // which then finds its request rejected, steps down and queues again.
    function requestLock(steal) {
      const granted = () =>
        new Promise(() => {
          holdsLock = true;
          // Already leading before the grant: tell any other such leader it is this one now.
          if (leading) post({ type: 'state', state, lock: true });
          else lead();
        });
      const request = steal
        ? locks.request(LOCK, { steal: true }, granted)
        : locks.request(LOCK, granted);
      request.catch(() => {
        holdsLock = false;
        stepDown();
        requestLock(false);
      });
    }

    // A frozen or discarded leader (a background tab on a phone) says nothing: the tab being
    // looked at asks, and takes the stream over if no leader answers.
    let asking = false;
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState !== 'visible' || leading || !channel || asking) return;
      asking = true;
      const askedMs = Date.now();
      post({ type: 'ping' });
      setTimeout(() => {
        asking = false;
        if (leading || leaderSeenMs >= askedMs) return;
        if (locks) requestLock(true);
        else {
          tabs.delete(leaderId);
          lead();
        }
      }, PING_MS);
    });

    // Until a lock is granted (or where there are none), the oldest tab that heard of no leader.
    // A busy leader may not have answered in time: where there are Web Locks, its lock says
    // it is there.
    async function leadIfNoLeader() {
      if (leading || leaderId !== null) return;
      try {
        const held = (await locks?.query?.())?.held ?? [];
        if (held.some((lock) => lock.name === LOCK)) return;
      } catch {
        // No answer about locks: elect as without them.
      }
      if (!leading && leaderId === null) elect();
    }

    // The leader closed. Without Web Locks the next oldest tab leads at once; with them the
    // lock's next holder does, or (no lock granted yet) the oldest tab, as at the start. If
    // nobody has taken over after a while, this page is not live and says so.
    function leaderLeft() {
      leaderId = null;
      if (locks) setTimeout(leadIfNoLeader, SETTLE_MS);
      else elect();
      setTimeout(() => {
        if (!leading && leaderId === null) onState('reconnecting');
      }, HANDOVER_MS);
    }

    // Without Web Locks, a leader silent for too long (crashed, killed) is forgotten with every
    // tab that no longer answers, and the oldest of those that do leads.
    function reelect() {
      tabs.clear();
      tabs.set(id, tag);
      leaderId = null;
      leaderSeenMs = Date.now();
      post({ type: 'roll-call' });
      setTimeout(leadIfNoLeader, SETTLE_MS);
    }
    if (!channel) lead();
    else if (locks) {
      requestLock(false);
      setTimeout(leadIfNoLeader, SETTLE_MS);
      // A leader without the lock (none granted yet) beats like one without Web Locks, so two
      // of them (each unheard by the other when it began) find out and the younger yields.
      setInterval(() => {
        if (leading && !holdsLock) post({ type: 'beat', lock: false });
      }, BEAT_MS);
    } else {
      setTimeout(leadIfNoLeader, SETTLE_MS);
      setInterval(() => {
        if (leading) post({ type: 'beat' });
        else if (Date.now() - leaderSeenMs > LEADER_TIMEOUT_MS) reelect();
      }, BEAT_MS);
    }
  }

  window.tradewatchStream = { join };
})();
