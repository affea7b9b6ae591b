import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

/** scrypt cost: N = 2^15, r = 8, p = 1 (~50 ms here; the result is cached per header). */
const N = 32768;
const KEY_BYTES = 32;
const MAX_MEM = 64 * 1024 * 1024;

function derive(password: string, salt: Buffer, n: number): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password, salt, KEY_BYTES, { N: n, r: 8, p: 1, maxmem: MAX_MEM }, (error, key) =>
      error ? reject(error) : resolve(key),
    ),
  );
}

/**
 * A password hash for the config file: `scrypt$N$salt$key` (base64url).
 *
 * @example await hashPassword('correct horse battery') // → 'scrypt$32768$…$…'
 */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, N);
  return `scrypt$${N}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

export function isPasswordHash(text: string): boolean {
  return /^scrypt\$\d{4,7}\$[A-Za-z0-9_-]{16,}\$[A-Za-z0-9_-]{40,}$/.test(text);
}

/** Whether a password matches a hash, compared in constant time. */
export async function verifyPassword(password: string, hash: string): Promise<boolean> {
  const [, n, salt, key] = hash.split('$');
  const expected = Buffer.from(key ?? '', 'base64url');
  const actual = await derive(password, Buffer.from(salt ?? '', 'base64url'), Number(n));
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
