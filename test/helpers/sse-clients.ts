import { onTestFinished } from 'vitest';
import { PAGES } from '../../src/web/live/panels.js';

/** Every page that streams panels (symbol pages are added per symbol). */
const STREAM_PAGES = Object.keys(PAGES).filter((page) => page !== 'symbol');

/**
 * Holds one SSE stream open per page (plus a symbol page per given symbol), reading everything,
 * as browsers watching every page would: rendering for them is what used to crash on bad rows.
 * Closed when the test ends.
 */
export async function watchEveryPage(baseUrl: string, symbols: string[] = []) {
  const controller = new AbortController();
  onTestFinished(() => controller.abort());
  const urls = [
    ...STREAM_PAGES.map((page) => `${baseUrl}/live/stream/${page}?engine=main`),
    ...symbols.map(
      (s) => `${baseUrl}/live/stream/symbol?engine=main&symbol=${encodeURIComponent(s)}`,
    ),
  ];
  const streams = urls.map((url) => ({ url, bytes: 0, ended: false }));
  await Promise.all(
    streams.map(async (stream) => {
      const res = await fetch(stream.url, { signal: controller.signal });
      if (res.status !== 200) throw new Error(`${stream.url} answered ${res.status}`);
      const reader = (res.body as ReadableStream<Uint8Array>).getReader();
      (async () => {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          stream.bytes += value.length;
        }
      })()
        .catch(() => {})
        .finally(() => {
          stream.ended = true;
        });
    }),
  );
  return {
    /** Streams the server closed (a crash or an error ends them all). */
    ended: () => streams.filter((s) => s.ended && !controller.signal.aborted).map((s) => s.url),
    bytes: () => streams.reduce((sum, s) => sum + s.bytes, 0),
  };
}
