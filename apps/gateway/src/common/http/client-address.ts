import { isIPv4, isIPv6 } from 'node:net';

/**
 * The address per-address limits and aggregates are keyed by: an IPv4 address as it is (an IPv4-mapped IPv6 address
 * as its IPv4 form), an IPv6 address as its /64 network, since one subscriber usually holds a whole /64 and could
 * otherwise take a fresh address for every attempt. `req.ip` is the socket address unless TRUST_PROXY names proxies.
 */
export function clientAddressKey(ip: string | undefined): string {
  if (!ip) return 'unknown';
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped && isIPv4(mapped[1])) return mapped[1];
  if (isIPv4(ip) || ip === '::1') return ip;
  const bare = ip.split('%')[0];
  if (!isIPv6(bare)) return ip.slice(0, 64);
  const groups = expandIPv6(bare);
  return `${groups.slice(0, 4).map((g) => parseInt(g, 16).toString(16)).join(':')}::/64`;
}

/** Eight hexadecimal groups of a valid IPv6 address (`::` expanded, a trailing dotted IPv4 turned into two groups). */
function expandIPv6(ip: string): string[] {
  let text = ip.toLowerCase();
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted[1].split('.').map(Number);
    text = text.slice(0, -dotted[1].length) + `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split('::');
  const left = head ? head.split(':') : [];
  const right = tail === undefined ? [] : tail ? tail.split(':') : [];
  const fill = tail === undefined ? [] : new Array<string>(8 - left.length - right.length).fill('0');
  return [...left, ...fill, ...right];
}
