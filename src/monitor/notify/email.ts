import { createTransport } from 'nodemailer';
import type { SendResult } from './http-post.js';

export interface Mail {
  from: string;
  to: string;
  subject: string;
  text: string;
}

/**
 * Sends one mail over SMTP (nodemailer; the URL carries user, password and `smtps://` for TLS).
 * A 5xx reply (authentication refused, recipient rejected) is permanent; connection problems,
 * timeouts and 4xx replies are retried.
 */
export async function sendEmail(
  smtpUrl: string,
  mail: Mail,
  timeoutMs: number,
): Promise<SendResult> {
  const transport = createTransport({
    url: smtpUrl,
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
  });
  try {
    const info = await transport.sendMail(mail);
    return { ok: true, detail: String(info.response ?? 'accepted') };
  } catch (error) {
    const e = error as Error & { responseCode?: number; code?: string };
    const permanent = typeof e.responseCode === 'number' && e.responseCode >= 500;
    return {
      ok: false,
      retry: !permanent,
      retryAfterMs: null,
      error: `${e.code ? `${e.code}: ` : ''}${e.message}`.slice(0, 300),
    };
  } finally {
    transport.close();
  }
}
