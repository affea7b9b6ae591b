import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { onTestFinished } from 'vitest';

export interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: unknown;
  atMs: number;
}

/** What a receiver does with its n-th request (0-based): answer, or never answer. */
export type Behaviour = (
  n: number,
) => { status: number; headers?: Record<string, string>; body?: string } | 'hang';

/**
 * An HTTP server on 127.0.0.1 that records every POST (webhook, Slack, Discord, Telegram).
 * `next()` resolves with the next request received, so tests wait on events, not time.
 */
export async function startReceiver(
  behaviour: Behaviour = () => ({ status: 200, body: '{"ok":true}' }),
) {
  const received: Received[] = [];
  const waiting: Array<{ index: number; resolve: (r: Received) => void }> = [];
  const server = createServer((req, res) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      text += chunk;
    });
    req.on('end', () => {
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // kept as text
      }
      const entry = { path: req.url ?? '', headers: req.headers, body, atMs: Date.now() };
      const answer = behaviour(received.length);
      received.push(entry);
      for (const w of waiting.splice(0))
        if (w.index < received.length) w.resolve(received[w.index] as Received);
        else waiting.push(w);
      if (answer === 'hang') return; // never answered; cut when the test ends
      res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
      res.end(answer.body ?? '');
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  onTestFinished(async () => {
    server.closeAllConnections();
    server.close();
  });
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    /** Resolves with the request of this index (0 = the first) once it has arrived. */
    request(index: number): Promise<Received> {
      const ready = received[index];
      if (ready) return Promise.resolve(ready);
      return new Promise((resolve) => {
        waiting.push({ index, resolve });
      });
    },
  };
}

export interface ReceivedMail {
  from: string;
  to: string[];
  text: string;
}

/** An SMTP server (smtp-server) on 127.0.0.1 that records mail; it can refuse every login. */
export async function startSmtp(options: { refuseAuth?: boolean } = {}) {
  const mails: ReceivedMail[] = [];
  const waiting: Array<(m: ReceivedMail) => void> = [];
  const server = new SMTPServer({
    secure: false,
    disabledCommands: ['STARTTLS'],
    authOptional: !options.refuseAuth,
    allowInsecureAuth: true,
    onAuth(auth, _session, callback) {
      if (options.refuseAuth) callback(new Error('Invalid username or password'));
      else callback(null, { user: auth.username });
    },
    onData(stream, session, callback) {
      let text = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => {
        text += chunk;
      });
      stream.on('end', () => {
        const mail = {
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          text,
        };
        mails.push(mail);
        waiting.shift()?.(mail);
        callback();
      });
    },
  });
  server.listen(0, '127.0.0.1');
  await once(server.server, 'listening');
  const { port } = server.server.address() as AddressInfo;
  onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return {
    port,
    mails,
    next: (): Promise<ReceivedMail> =>
      new Promise((resolve) => {
        waiting.push(resolve);
      }),
  };
}

/** A URL on 127.0.0.1 where nothing listens (a port just freed). */
export async function closedPortUrl(): Promise<string> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}/closed`;
}
