import type { Response } from 'express';

/**
 * One SSE event. Every line of `data` gets its own `data: ` prefix, and a line ends at CR, LF
 * or CRLF, exactly as an EventSource parses it: a bare `\r` in engine text (an alert message, a
 * symbol) therefore stays data and can never start an `event:`, `id:` or `retry:` field.
 *
 * @example
 * encodeFrame('header', 'a\rretry: 1').toString(); // 'event: header\ndata: a\ndata: retry: 1\n\n'
 */
export function encodeFrame(event: string, data: string): Buffer {
  return Buffer.from(`event: ${event}\ndata: ${data.split(/\r\n|\r|\n/).join('\ndata: ')}\n\n`);
}

/** Starts a Server-Sent Events response: no caching, no proxy buffering, reconnect after 2 s. */
export function openEventStream(res: Response): void {
  res.writeHead(200, {
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-store',
    Connection: 'keep-alive',
    'X-Accel-Buffering': 'no',
  });
  res.write('retry: 2000\n\n');
}
