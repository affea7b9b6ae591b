import { onTestFinished } from 'vitest';

/**
 * Follows a running dashboard's /live stream and resolves when the engine reaches a state:
 * tests wait on the page's own push, not on time. Returns how long it took, for the record.
 */
export async function watchState(baseUrl: string, engine = 'main') {
  const controller = new AbortController();
  onTestFinished(() => controller.abort());
  const res = await fetch(`${baseUrl}/live/stream/live?engine=${engine}`, {
    signal: controller.signal,
  });
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let current: string | null = null;
  const read = async (): Promise<string> => {
    for (;;) {
      const match = /event: meta\ndata: (.*)\n\n/.exec(buffer);
      if (match) {
        buffer = buffer.slice((match.index ?? 0) + match[0].length);
        current = (JSON.parse(match[1] ?? '{}') as { state: string }).state;
        return current;
      }
      const { value, done } = await reader.read();
      if (done) throw new Error('the stream ended');
      buffer += decoder.decode(value, { stream: true });
    }
  };
  return {
    get current() {
      return current;
    },
    /** The next push (any change of the engine's snapshot, or of alerts and host values). */
    next: read,
    /** Resolves with the milliseconds it took for the engine to be in `state`. */
    async until(state: string): Promise<number> {
      const started = Date.now();
      while (current !== state) await read();
      return Date.now() - started;
    },
  };
}
