import { BlockList, isIP } from 'node:net';

/*
 * SSRF guard for webhook deliveries: which resolved addresses a delivery may connect to. A vendor chooses the URL, so
 * without this a webhook could reach the gateway's own network: loopback, private ranges, cloud metadata.
 */

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

const FORBIDDEN = new BlockList();
// Unspecified and "this network"
FORBIDDEN.addSubnet('0.0.0.0', 8, 'ipv4');
FORBIDDEN.addAddress('::', 'ipv6');
// RFC 1918 private, CGNAT (RFC 6598), link-local (incl. 169.254.169.254 metadata), benchmarking, reserved, multicast
FORBIDDEN.addSubnet('10.0.0.0', 8, 'ipv4');
FORBIDDEN.addSubnet('172.16.0.0', 12, 'ipv4');
FORBIDDEN.addSubnet('192.168.0.0', 16, 'ipv4');
FORBIDDEN.addSubnet('100.64.0.0', 10, 'ipv4');
FORBIDDEN.addSubnet('169.254.0.0', 16, 'ipv4');
FORBIDDEN.addSubnet('192.0.0.0', 24, 'ipv4');
FORBIDDEN.addSubnet('198.18.0.0', 15, 'ipv4');
FORBIDDEN.addSubnet('224.0.0.0', 3, 'ipv4');
// IPv6 unique local (fc00::/7, incl. the EC2 metadata fd00:ec2::254), link-local, multicast
FORBIDDEN.addSubnet('fc00::', 7, 'ipv6');
FORBIDDEN.addSubnet('fe80::', 10, 'ipv6');
FORBIDDEN.addSubnet('ff00::', 8, 'ipv6');

export interface AddressPolicy {
  /** Development and tests only (WEBHOOK_ALLOW_LOOPBACK, refused in production): lets a local receiver be the target. */
  allowLoopback: boolean;
}

export type AddressVerdict = { allowed: true } | { allowed: false; reason: 'loopback' | 'private_or_reserved' | 'not_an_ip' };

/** IPv4-mapped and NAT64-less forms of an IPv4 address (`::ffff:127.0.0.1`) are judged as the IPv4 address. */
function normalise(address: string): { address: string; family: 'ipv4' | 'ipv6' } | undefined {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return { address: mapped[1]!, family: 'ipv4' };
  const family = isIP(address);
  if (!family) return undefined;
  return { address, family: family === 4 ? 'ipv4' : 'ipv6' };
}

export function checkAddress(address: string, policy: AddressPolicy): AddressVerdict {
  const ip = normalise(address);
  if (!ip) return { allowed: false, reason: 'not_an_ip' };
  if (LOOPBACK.check(ip.address, ip.family)) return policy.allowLoopback ? { allowed: true } : { allowed: false, reason: 'loopback' };
  if (FORBIDDEN.check(ip.address, ip.family)) return { allowed: false, reason: 'private_or_reserved' };
  return { allowed: true };
}
