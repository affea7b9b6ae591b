import { isIP } from 'node:net';
import type { NextFunction, Request, Response } from 'express';

/** Names of this machine that no DNS answer can point elsewhere. */
const LOOPBACK = /^(localhost|.+\.localhost|127\.\d+\.\d+\.\d+|\[::1\]|::1)$/;

/** `Host: name:port` or `[v6]:port` → the name, lower case. */
function hostName(header: string): string {
  const text = header.trim().toLowerCase();
  if (text.startsWith('[')) return text.slice(0, text.indexOf(']') + 1);
  const colon = text.lastIndexOf(':');
  return colon >= 0 && text.indexOf(':') === colon ? text.slice(0, colon) : text;
}

/**
 * DNS rebinding guard for a dashboard on loopback without authentication: a page on
 * `evil.example` whose name resolves to 127.0.0.1 reaches this server with `Host: evil.example`,
 * and is refused (421). Served: loopback addresses, `localhost` names, and `allowed` (the bound
 * address and `--allowed-host` names, any port). A request without `Host` (HTTP/1.0, not a browser) passes.
 *
 * @example app.use(hostCheck(['127.0.0.1', 'trading-box.local']))
 */
export function hostCheck(allowed: readonly string[]) {
  // A bare IPv6 address gets its brackets (as in a Host header); `name:port` loses its port.
  const names = new Set(allowed.map((name) => hostName(isIP(name) === 6 ? `[${name}]` : name)));
  return (req: Request, res: Response, next: NextFunction): void => {
    const header = req.get('host');
    const name = header === undefined ? null : hostName(header);
    if (name === null || LOOPBACK.test(name) || names.has(name)) {
      next();
      return;
    }
    res
      .status(421)
      .type('text')
      .send(
        `This dashboard does not answer to the name ${JSON.stringify(name)}: open it as localhost or 127.0.0.1, or add the name with --allowed-host.\n`,
      );
  };
}
