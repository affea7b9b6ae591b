import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { verifyPassword } from '../../contract/password.js';
import { HttpError } from '../http-error.js';
import { clientAddress, type TrustedProxies } from './client-address.js';
import { cookieValue, deviceCookies } from './device-cookie.js';
import { FailureLimiter } from './failure-limiter.js';

export interface AccessOptions {
  /** Basic auth: a user with a plain password (from the environment) or a scrypt hash. */
  basic: { user: string; password: string | null; hash: string | null } | null;
  /** Read-only share token, kept in a cookie after its first use. */
  token: string | null;
  /** Cookies get `Secure` over HTTPS. */
  secure: boolean;
  /** Reverse proxies whose `X-Forwarded-For` names the client (for the attempt limit). */
  trustedProxies?: TrustedProxies;
}

export const SESSION_COOKIE = 'tradewatch_session';
const SESSION_DAYS = 30;
/** Paths anyone may fetch: liveness/readiness for supervisors, and static assets (no data). */
const PUBLIC = /^\/(healthz|readyz|favicon\.svg|static\/|vendor\/|bundle\/)/;
/** What the share token may do: read. Acknowledging an alert needs the signed-in user. */
const READ_METHODS = new Set(['GET', 'HEAD']);

const digest = (text: string) => createHash('sha256').update(text).digest();
const same = (a: Buffer, b: Buffer) => a.length === b.length && timingSafeEqual(a, b);

/**
 * Authentication for everything but liveness, readiness and assets: a session cookie from the
 * share token, the token itself (`?token=` once, or `Authorization: Bearer`), or HTTP basic
 * auth. Secrets are compared in constant time. Attempts are limited per client (the address
 * behind a trusted proxy, or the browser's device cookie from an earlier sign-in), counted when
 * they start, so at most 10 password checks per window per client whatever the concurrency.
 * Not limited, so never locked out by someone else's guesses: a Basic credential already
 * verified by this process, and the right share token (16+ characters from 64: not guessable
 * at any rate, and checked in constant time without scrypt). The token
 * only reads: anything but GET/HEAD needs the user. Authenticated responses are never stored by
 * browsers or proxies (`Cache-Control: no-store`), except that revalidated ones (polled panels,
 * snapshot JSON with ETags) are `private, no-cache`, so a browser can ask again and get a 304.
 */
export function accessControl(options: AccessOptions): RequestHandler {
  const limiter = new FailureLimiter();
  const clientOf = clientAddress(options.trustedProxies ?? []);
  const tokenDigest = options.token ? digest(options.token) : null;
  // The cookie is derived from the token: it survives restarts, and a new token revokes it.
  const session = options.token
    ? createHmac('sha256', options.token).update('tradewatch session v1').digest('base64url')
    : null;
  const verified = new Set<string>(); // digests of Authorization headers whose scrypt check passed
  const passwordDigest = options.basic?.password ? digest(options.basic.password) : null;
  const secret = options.basic?.hash ?? options.basic?.password;
  const devices = secret ? deviceCookies(secret, options.secure) : null;
  const knownGood = (header: string) =>
    header.startsWith('Basic ') && verified.has(digest(header).toString('base64'));

  const basicOk = async (header: string): Promise<boolean> => {
    const basic = options.basic;
    if (!basic || !header.startsWith('Basic ')) return false;
    const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return false;
    const userOk = same(digest(decoded.slice(0, colon)), digest(basic.user));
    const password = decoded.slice(colon + 1);
    const passwordOk = passwordDigest
      ? same(digest(password), passwordDigest)
      : basic.hash !== null && (await verifyPassword(password, basic.hash));
    if (userOk && passwordOk) {
      if (verified.size > 1000) verified.clear();
      verified.add(digest(header).toString('base64'));
    }
    return userOk && passwordOk;
  };

  /** The share token's holder: may read, never change anything. */
  const reader = (req: Request, next: NextFunction) =>
    READ_METHODS.has(req.method)
      ? next()
      : next(
          new HttpError(
            403,
            'read_only',
            'the share token only reads: sign in as the dashboard user to acknowledge alerts',
          ),
        );

  return async (req: Request, res: Response, next: NextFunction) => {
    if (PUBLIC.test(req.path)) return next();
    res.setHeader('Cache-Control', 'no-store');
    // A route may only loosen that to revalidation (`no-cache` with its ETag, for the polling
    // fallback's 304s), and then only for this browser: `private, no-cache`. Anything else
    // (a max-age, `public`) stays no-store.
    const setHeader = res.setHeader.bind(res);
    res.setHeader = (name: string, value: number | string | readonly string[]) => {
      if (name.toLowerCase() !== 'cache-control') return setHeader(name, value);
      return setHeader(name, value === 'no-cache' ? 'private, no-cache' : 'no-store');
    };

    const header = req.get('authorization') ?? '';
    if (knownGood(header)) return next();
    // A share link opened again with a valid cookie still goes through the token check below,
    // so the token is dropped from the address (routes reject parameters they do not know).
    const queryToken = typeof req.query.token === 'string' ? req.query.token : null;
    const cookie = cookieValue(req, SESSION_COOKIE);
    const basicOffered = header.startsWith('Basic ');
    if (
      queryToken === null &&
      !basicOffered &&
      session &&
      cookie &&
      same(Buffer.from(cookie), Buffer.from(session))
    )
      return reader(req, next);

    const bearer = header.startsWith('Bearer ') ? header.slice(7) : null;
    const offered = queryToken ?? bearer;
    if (offered !== null && tokenDigest && same(digest(offered), tokenDigest)) {
      if (queryToken !== null && session) return startSession(req, res, session, options.secure);
      return reader(req, next);
    }
    if (offered !== null || header) {
      const device = basicOffered ? (devices?.idOf(req) ?? null) : null;
      const client = device === null ? clientOf(req) : `device:${device}`;
      const startedAtMs = Date.now();
      if (!limiter.begin(client, startedAtMs)) {
        const wait = limiter.retryAfterMs(client, startedAtMs);
        res.setHeader('Retry-After', String(Math.max(1, Math.ceil(wait / 1000))));
        res.status(429).type('text').send('Too many failed attempts; try again later.\n');
        return;
      }
      if (header && (await basicOk(header))) {
        limiter.succeeded(client, startedAtMs);
        if (device === null) devices?.issue(res);
        return next();
      }
    }
    if (options.basic)
      res.setHeader('WWW-Authenticate', 'Basic realm="tradewatch", charset="UTF-8"');
    res
      .status(401)
      .type('text')
      .send(
        options.basic
          ? 'Sign in with the dashboard user and password.\n'
          : 'Open the share link (with ?token=...) you were given.\n',
      );
  };
}

/**
 * The first visit with `?token=`: set the cookie, then move to the same URL without the token
 * by a page of our own — an HTTP redirect would still count as the cross-site navigation the
 * link came from, and a SameSite=Strict cookie would not be sent with it.
 */
function startSession(req: Request, res: Response, session: string, secure: boolean): void {
  const url = new URL(req.originalUrl, 'http://x');
  url.searchParams.delete('token');
  const target = `${url.pathname}${url.search}`;
  res.setHeader(
    'Set-Cookie',
    `${SESSION_COOKIE}=${session}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${SESSION_DAYS * 86_400}${secure ? '; Secure' : ''}`,
  );
  res.setHeader('Referrer-Policy', 'no-referrer');
  const escaped = target.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  res
    .status(200)
    .type('html')
    .send(
      `<!doctype html><meta charset="utf-8"><meta http-equiv="refresh" content="0;url=${escaped}"><title>tradewatch</title><p>Signed in. <a href="${escaped}">Continue</a></p>\n`,
    );
}
