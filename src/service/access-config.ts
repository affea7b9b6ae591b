import { type Config, isLoopback } from '../config/load.js';
import type { AccessOptions } from '../web/auth/access.js';

/** The web layer's authentication settings; null when nobody needs to sign in. */
export function accessOptions(config: Config): AccessOptions | null {
  const user = config['auth-user'];
  if (user === null && config['auth-token'] === null) return null;
  return {
    basic:
      user === null
        ? null
        : { user, password: config['auth-password'], hash: config['auth-password-hash'] },
    token: config['auth-token'],
    secure: config['tls-cert'] !== null,
    trustedProxies: config['trusted-proxy'],
  };
}

/**
 * The `Host` names served, against DNS rebinding: on loopback without authentication, the
 * bound address and `--allowed-host` names (localhost names always); null (any) otherwise,
 * where a rebinding page has no credentials.
 */
export function allowedHosts(config: Config): string[] | null {
  if (!isLoopback(config.host) || accessOptions(config) !== null) return null;
  return [config.host, ...config['allowed-host']];
}

export function exposedWithoutAuth(config: Config): boolean {
  return !isLoopback(config.host) && accessOptions(config) === null;
}

/** The warning on every page when a network address is served without authentication. */
export function insecureBanner(config: Config): string | null {
  return exposedWithoutAuth(config)
    ? `Anyone who can reach ${config.host} can see this dashboard: it runs with --insecure-no-auth.`
    : null;
}
