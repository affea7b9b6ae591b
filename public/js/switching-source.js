// A Server-Sent Events stream whose URL can change without a gap: the stream for the new URL
// takes over once it is open, and its first events come after that, so nothing is missed and
// nothing doubled. The shared stream's leader (shared-stream.js) holds one, its URL naming every
// open tab's page.
window.tradewatchSwitchingSource = (events, { onEvent, onLive, onLost, retry }) => {
  let current = null; // the EventSource whose events count
  let pending = null; // the stream of a new URL, taking over once it opens

  function open(url) {
    pending?.close();
    const source = new EventSource(url);
    if (current) pending = source;
    else current = source;
    source.onopen = () => {
      if (source === pending) {
        // current may be gone already (it failed while this one connected).
        current?.close();
        current = source;
        pending = null;
      }
      if (source === current) onLive();
    };
    source.onerror = () => {
      if (source === pending) {
        // Nothing else would open it again: the new pages would get nothing while shown live.
        source.close();
        pending = null;
        retry();
        return;
      }
      if (source !== current) return;
      onLost();
      // CLOSED: the server answered but not with a stream (restarting, 503): retry ourselves.
      if (source.readyState === EventSource.CLOSED) {
        current = null;
        retry();
      }
    };
    for (const name of events) {
      source.addEventListener(name, (event) => {
        if (source !== current) return;
        let data;
        try {
          data = JSON.parse(event.data);
        } catch {
          return;
        }
        onEvent(name, data);
      });
    }
  }

  function close() {
    for (const source of [current, pending]) source?.close();
    current = pending = null;
  }

  /** Whether a stream is open or reconnecting by itself. */
  const isOpen = () => current !== null && current.readyState !== EventSource.CLOSED;

  return { open, close, isOpen };
};
