import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Request, Response } from 'express';

export const DEVICE_COOKIE = 'tradewatch_device';
const DEVICE_DAYS = 30;

/** A cookie's value from the request, or null. */
export function cookieValue(req: Request, name: string): string | null {
  for (const part of (req.get('cookie') ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}

/**
 * Device cookies: a browser that once signed in with the right password gets a random id signed
 * with a key derived from the configured password (or its hash), so it survives restarts and a
 * new password revokes it. Its later sign-in attempts are limited under that id instead of its
 * address, so someone else's failures from the same address (a NAT, a proxy) do not lock it out,
 * while a guesser without such a cookie stays limited per address. The cookie alone signs nobody
 * in: the password is still checked.
 *
 * @example const devices = deviceCookies('scrypt$...', true); devices.idOf(req) ?? clientOf(req)
 */
export function deviceCookies(secret: string, secure: boolean) {
  const key = createHmac('sha256', secret).update('tradewatch device v1').digest();
  const sign = (id: string) => createHmac('sha256', key).update(id).digest('base64url');
  return {
    /** The signed id this browser carries, or null (none, or not signed by us). */
    idOf(req: Request): string | null {
      const [id, signature, extra] = (cookieValue(req, DEVICE_COOKIE) ?? '').split('.');
      if (!id || !signature || extra !== undefined) return null;
      const expected = Buffer.from(sign(id));
      const given = Buffer.from(signature);
      return given.length === expected.length && timingSafeEqual(given, expected) ? id : null;
    },
    /** Gives this browser a new device id (after its password was verified). */
    issue(res: Response): void {
      const id = randomBytes(12).toString('base64url');
      res.setHeader(
        'Set-Cookie',
        `${DEVICE_COOKIE}=${id}.${sign(id)}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${DEVICE_DAYS * 86_400}${secure ? '; Secure' : ''}`,
      );
    },
  };
}
