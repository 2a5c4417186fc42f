import { BlockList, isIP } from 'node:net';

/*
 * SSRF guard for webhook deliveries: which resolved addresses a delivery may connect to. A vendor chooses the URL, so
 * without this a webhook could reach the gateway's own network: loopback, private ranges, cloud metadata.
 *
 * Node's BlockList judges an IPv4-mapped IPv6 address (`::ffff:127.0.0.1`, `::ffff:7f00:1`) by the IPv4 rules. A NAT64
 * address (`64:ff9b::a00:7`, RFC 6052) reaches the IPv4 address it embeds through a translator (an AWS NAT gateway
 * serves IPv6-only subnets that way), so every IPv4 range below is refused under the NAT64 prefix as well.
 */

/** [network, prefix length] */
type V4Range = [string, number];

const V4_LOOPBACK: V4Range[] = [['127.0.0.0', 8]];
const V4_FORBIDDEN: V4Range[] = [
  ['0.0.0.0', 8], // unspecified and "this network" (a connect to 0.0.0.0 reaches the local host)
  ['10.0.0.0', 8], // RFC 1918
  ['172.16.0.0', 12], // RFC 1918
  ['192.168.0.0', 16], // RFC 1918
  ['100.64.0.0', 10], // CGNAT (RFC 6598), incl. Alibaba's metadata 100.100.100.200
  ['169.254.0.0', 16], // link-local, incl. the 169.254.169.254 metadata endpoint
  ['192.0.0.0', 24], // IETF protocol assignments
  ['198.18.0.0', 15], // benchmarking
  ['224.0.0.0', 3], // multicast, reserved, broadcast
];

function v4List(ranges: V4Range[]): BlockList {
  const list = new BlockList();
  for (const [network, prefix] of ranges) {
    list.addSubnet(network, prefix, 'ipv4');
    list.addSubnet(`64:ff9b::${network}`, 96 + prefix, 'ipv6');
  }
  return list;
}

const LOOPBACK = v4List(V4_LOOPBACK);
LOOPBACK.addAddress('::1', 'ipv6');

const FORBIDDEN = v4List(V4_FORBIDDEN);
// `::` (unspecified), the deprecated IPv4-compatible `::a.b.c.d` and IPv4-translated `::ffff:0:a.b.c.d` forms
FORBIDDEN.addSubnet('::', 96, 'ipv6');
FORBIDDEN.addSubnet('::ffff:0:0:0', 96, 'ipv6');
// The local-use NAT64 prefix (RFC 8215): where it embeds the IPv4 address is the operator's choice
FORBIDDEN.addSubnet('64:ff9b:1::', 48, 'ipv6');
// IPv6 unique local (fc00::/7, incl. the EC2 metadata fd00:ec2::254), link-local, multicast
FORBIDDEN.addSubnet('fc00::', 7, 'ipv6');
FORBIDDEN.addSubnet('fe80::', 10, 'ipv6');
FORBIDDEN.addSubnet('ff00::', 8, 'ipv6');

export interface AddressPolicy {
  /** Development and tests only (WEBHOOK_ALLOW_LOOPBACK, refused in production): lets a local receiver be the target. */
  allowLoopback: boolean;
}

export type AddressVerdict = { allowed: true } | { allowed: false; reason: 'loopback' | 'private_or_reserved' | 'not_an_ip' };

export function checkAddress(address: string, policy: AddressPolicy): AddressVerdict {
  const family = isIP(address);
  if (!family) return { allowed: false, reason: 'not_an_ip' };
  const type = family === 4 ? 'ipv4' : 'ipv6';
  if (LOOPBACK.check(address, type)) return policy.allowLoopback ? { allowed: true } : { allowed: false, reason: 'loopback' };
  if (FORBIDDEN.check(address, type)) return { allowed: false, reason: 'private_or_reserved' };
  return { allowed: true };
}
