import { BlockList, isIP } from 'node:net';
import type { Request } from 'express';

/** Reverse proxies whose `X-Forwarded-For` is believed: addresses or CIDR ranges. */
export type TrustedProxies = readonly string[];

/** `::ffff:10.0.0.1` (an IPv4 peer on a dual-stack socket) is `10.0.0.1`. */
const plain = (address: string) => address.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, '');

function blockList(proxies: TrustedProxies): BlockList {
  const list = new BlockList();
  for (const entry of proxies) {
    const [address = '', bits] = entry.split('/');
    const family = isIP(address) === 6 ? 'ipv6' : 'ipv4';
    if (bits === undefined) list.addAddress(address, family);
    else list.addSubnet(address, Number(bits), family);
  }
  return list;
}

/**
 * The client address a request comes from, for rate limits. The socket's peer, unless that
 * peer is a configured proxy: then the nearest address in `X-Forwarded-For` that is not itself
 * a trusted proxy (addresses further left were written by the client and prove nothing).
 *
 * @example
 * const addressOf = clientAddress(['127.0.0.1']);
 * addressOf(req) // → '203.0.113.7' for a request proxied from there
 */
export function clientAddress(proxies: TrustedProxies): (req: Request) => string {
  const list = blockList(proxies);
  const trusted = (address: string) => {
    const family = isIP(address);
    return family !== 0 && list.check(address, family === 6 ? 'ipv6' : 'ipv4');
  };
  return (req) => {
    const peer = plain(req.socket.remoteAddress ?? 'unknown');
    if (proxies.length === 0 || !trusted(peer)) return peer;
    const forwarded = (req.get('x-forwarded-for') ?? '')
      .split(',')
      .map((a) => plain(a.trim()))
      .filter(Boolean);
    for (let i = forwarded.length - 1; i >= 0; i--) {
      const hop = forwarded[i] as string;
      if (!trusted(hop)) return isIP(hop) ? hop : peer;
    }
    return forwarded[0] ?? peer;
  };
}
