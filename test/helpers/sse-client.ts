import { onTestFinished } from 'vitest';

export interface SseEvent {
  type: string;
  data: string;
  /** The `id:` last seen when this event was dispatched ('' if none). */
  lastEventId: string;
}

/**
 * A Server-Sent Events client that parses the stream as the HTML standard's EventSource does
 * (a line ends at CR, LF or CRLF; `event`, `data`, `id`, `retry` fields; comments; dispatch on a
 * blank line), so a test sees exactly what a browser would. Reads until aborted (test end).
 */
export async function followSse(url: string) {
  const controller = new AbortController();
  onTestFinished(() => controller.abort());
  const res = await fetch(url, { signal: controller.signal });
  if (res.status !== 200) throw new Error(`${url} answered ${res.status}`);
  const events: SseEvent[] = [];
  /** Every `retry:` value the stream set, in order. */
  const retries: number[] = [];
  const waiters = new Set<() => void>();
  let type = '';
  let data = '';
  let lastEventId = '';
  let pending = '';
  const field = (line: string) => {
    if (line === '') {
      if (data !== '')
        events.push({ type: type || 'message', data: data.slice(0, -1), lastEventId });
      type = '';
      data = '';
      for (const wake of waiters) wake();
      return;
    }
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const name = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (name === 'event') type = value;
    else if (name === 'data') data += `${value}\n`;
    else if (name === 'id' && !value.includes('\0')) lastEventId = value;
    else if (name === 'retry' && /^\d+$/.test(value)) retries.push(Number(value));
  };
  void (async () => {
    const decoder = new TextDecoder();
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        pending += decoder.decode(chunk, { stream: true });
        // A CR at the very end may be the first half of a CRLF: keep it for the next chunk.
        for (;;) {
          const match = /\r\n|\r(?!$)|\n/.exec(pending);
          if (!match) break;
          field(pending.slice(0, match.index));
          pending = pending.slice(match.index + match[0].length);
        }
      }
    } catch {
      // Aborted at the end of the test.
    }
  })();
  return {
    events,
    retries,
    /** Resolves with the first event (seen or to come) that matches, or rejects after `ms`. */
    until(match: (e: SseEvent) => boolean, ms = 15_000): Promise<SseEvent> {
      return new Promise((resolve, reject) => {
        const check = () => {
          const hit = events.find(match);
          if (!hit) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(hit);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(
            new Error(
              `no matching SSE event within ${ms} ms; saw ${events.map((e) => e.type).join(', ')}`,
            ),
          );
        }, ms);
        waiters.add(check);
        check();
      });
    },
  };
}
