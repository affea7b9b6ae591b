/** The outcome of one delivery attempt. */
export type SendResult =
  | { ok: true; detail: string }
  | { ok: false; retry: boolean; retryAfterMs: number | null; error: string };

/** Longest Retry-After honoured; a server asking for more is retried after this. */
const MAX_RETRY_AFTER_MS = 15 * 60_000;

/**
 * POSTs JSON with a timeout. 2xx is delivered; 429, 408 and 5xx are retried (429 after its
 * Retry-After); other 4xx mean a wrong URL or token and are not retried. Network errors and
 * timeouts are retried.
 */
export async function postJson(url: string, body: unknown, timeoutMs: number): Promise<SendResult> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'tradewatch' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
      redirect: 'error',
    });
  } catch (error) {
    const e = error as Error & {
      cause?: { code?: string; message?: string; errors?: Array<{ code?: string }> };
    };
    // fetch says only "fetch failed"; its cause (or the cause's first error) names the problem.
    const reason =
      e.name === 'TimeoutError'
        ? `no answer within ${timeoutMs} ms`
        : (e.cause?.code ?? e.cause?.errors?.[0]?.code ?? e.cause?.message ?? e.message);
    return { ok: false, retry: true, retryAfterMs: null, error: reason };
  }
  const text = await response.text().catch(() => '');
  if (response.ok) return { ok: true, detail: `HTTP ${response.status}` };
  const status = response.status;
  const retry = status === 429 || status === 408 || status >= 500;
  return {
    ok: false,
    retry,
    retryAfterMs: status === 429 ? retryAfterMs(response.headers.get('retry-after'), text) : null,
    error: `HTTP ${status}${text ? `: ${text.slice(0, 200)}` : ''}`,
  };
}

/** Retry-After as seconds or an HTTP date; Telegram's `parameters.retry_after` in the body. */
export function retryAfterMs(header: string | null, body = '', nowMs = Date.now()): number | null {
  let ms: number | null = null;
  if (header && /^\s*\d+(\.\d+)?\s*$/.test(header)) ms = Number(header) * 1000;
  else if (header && Number.isFinite(Date.parse(header))) ms = Date.parse(header) - nowMs;
  else {
    try {
      const seconds = (JSON.parse(body) as { parameters?: { retry_after?: unknown } })?.parameters
        ?.retry_after;
      if (typeof seconds === 'number') ms = seconds * 1000;
    } catch {
      // not JSON: no hint
    }
  }
  return ms === null ? null : Math.min(MAX_RETRY_AFTER_MS, Math.max(0, ms));
}
