import { existsSync } from 'node:fs';
import { isIP } from 'node:net';
import { isPasswordHash } from '../contract/password.js';

const path = (what: string) => (text: string) => {
  if (!existsSync(text)) throw new Error(`${what} file ${JSON.stringify(text)} does not exist`);
  return text;
};

/** true/false for switches given in the environment or a config file. */
export function parseSwitch(text: string): boolean {
  if (/^(1|true|yes|on)$/i.test(text)) return true;
  if (/^(0|false|no|off|)$/i.test(text)) return false;
  throw new Error(`expected true or false, got ${JSON.stringify(text)}`);
}

/** A `--trusted-proxy` value: an IP address or a CIDR range. */
export function parseTrustedProxy(text: string): string {
  const [address = '', bits, extra] = text.split('/');
  const family = isIP(address);
  const max = family === 6 ? 128 : 32;
  if (
    family === 0 ||
    extra !== undefined ||
    (bits !== undefined && !(/^\d{1,3}$/.test(bits) && Number(bits) <= max))
  )
    throw new Error(
      `expected an IP address or a CIDR range (10.0.0.0/8), got ${JSON.stringify(text)}`,
    );
  return text;
}

/**
 * An `--allowed-host` value: a DNS name or an IP address, optionally with the port the browser
 * shows (`trading-box.local:8080`, `[fd00::5]:8080`). The port is dropped: the guard compares
 * names, whatever port the request came to.
 */
export function parseAllowedHost(text: string): string {
  const bracketed = /^\[([0-9A-Fa-f:.]+)\](?::\d{1,5})?$/.exec(text);
  if (bracketed?.[1] && isIP(bracketed[1]) === 6) return bracketed[1].toLowerCase();
  if (isIP(text) !== 0) return text.toLowerCase();
  const named = /^([A-Za-z0-9][A-Za-z0-9.-]{0,252})(?::\d{1,5})?$/.exec(text);
  if (!named?.[1])
    throw new Error(
      `expected a host name like trading-box.local (a port may follow), got ${JSON.stringify(text)}`,
    );
  return named[1].toLowerCase();
}

/** Who may see the dashboard, and over what. */
export const ACCESS_OPTIONS = {
  'auth-user': {
    name: 'auth-user',
    env: 'TRADEWATCH_AUTH_USER',
    meta: 'NAME',
    help: 'user name for HTTP basic auth (password: TRADEWATCH_AUTH_PASSWORD or auth-password-hash)',
    default: (): string | null => null,
    parse: (text: string) => {
      if (!/^[^:\s]{1,64}$/.test(text))
        throw new Error('expected 1-64 characters without spaces or colons');
      return text;
    },
  },
  'auth-password': {
    name: 'auth-password',
    env: 'TRADEWATCH_AUTH_PASSWORD',
    meta: 'TRADEWATCH_AUTH_PASSWORD',
    help: 'the basic-auth password, from the environment only',
    noFlag: true,
    noFile: {
      instead:
        'put its hash in auth-password-hash instead (make one with `tradewatch hash-password`)',
    },
    default: (): string | null => null,
    parse: (text: string) => {
      if (text.length < 8) throw new Error('use a password of at least 8 characters');
      return text;
    },
  },
  'auth-password-hash': {
    name: 'auth-password-hash',
    env: 'TRADEWATCH_AUTH_PASSWORD_HASH',
    meta: 'auth-password-hash',
    help: "the password's hash in the config file (make one with `tradewatch hash-password`)",
    noFlag: true,
    default: (): string | null => null,
    parse: (text: string) => {
      if (!isPasswordHash(text))
        throw new Error('expected a hash made by `tradewatch hash-password` (scrypt$...)');
      return text;
    },
  },
  'auth-token': {
    name: 'auth-token',
    env: 'TRADEWATCH_AUTH_TOKEN',
    meta: 'TOKEN',
    help: 'read-only share token: open /?token=TOKEN once on a phone, then a cookie keeps it',
    default: (): string | null => null,
    parse: (text: string) => {
      if (!/^[A-Za-z0-9_-]{16,200}$/.test(text))
        throw new Error(
          'expected at least 16 letters, digits, - or _ (e.g. from `openssl rand -hex 16`)',
        );
      return text;
    },
  },
  'insecure-no-auth': {
    name: 'insecure-no-auth',
    env: 'TRADEWATCH_INSECURE_NO_AUTH',
    meta: '',
    help: 'serve a non-loopback address without authentication (warned at start, bannered on every page)',
    switch: true,
    default: () => false,
    parse: parseSwitch,
  },
  'trusted-proxy': {
    name: 'trusted-proxy',
    env: 'TRADEWATCH_TRUSTED_PROXY',
    meta: 'ADDRESS',
    help: 'a reverse proxy (IP or CIDR) whose X-Forwarded-For names the client, for the sign-in attempt limit',
    repeatable: true,
    default: (): string[] => [],
    parse: parseTrustedProxy,
  },
  'allowed-host': {
    name: 'allowed-host',
    env: 'TRADEWATCH_ALLOWED_HOST',
    meta: 'NAME',
    help: 'another name this dashboard answers to on loopback without auth (besides localhost and the bound address)',
    repeatable: true,
    default: (): string[] => [],
    parse: parseAllowedHost,
  },
  'tls-cert': {
    name: 'tls-cert',
    env: 'TRADEWATCH_TLS_CERT',
    meta: 'PEM',
    help: 'serve HTTPS with this certificate (with --tls-key)',
    default: (): string | null => null,
    parse: path('certificate'),
  },
  'tls-key': {
    name: 'tls-key',
    env: 'TRADEWATCH_TLS_KEY',
    meta: 'PEM',
    help: 'the private key for --tls-cert',
    default: (): string | null => null,
    parse: path('key'),
  },
} as const;
