import { checkAddress } from './address-guard';

const strict = { allowLoopback: false };
const dev = { allowLoopback: true };

describe(checkAddress.name, () => {
  it.each([
    // loopback, IPv4 and IPv6, and IPv4-mapped IPv6 in both notations (Linux connects `::ffff:7f00:1` to 127.0.0.1)
    ['127.0.0.1', 'loopback'],
    ['127.8.9.10', 'loopback'],
    ['127.255.255.255', 'loopback'],
    ['::1', 'loopback'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::FFFF:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    // cloud metadata (AWS/GCP/Azure link-local, the EC2 IPv6 endpoint, Alibaba's in CGNAT space)
    ['169.254.169.254', 'private_or_reserved'],
    ['::ffff:169.254.169.254', 'private_or_reserved'],
    ['::ffff:a9fe:a9fe', 'private_or_reserved'],
    ['fd00:ec2::254', 'private_or_reserved'],
    ['100.100.100.200', 'private_or_reserved'],
    // RFC 1918 private, at both ends of each range
    ['10.0.0.0', 'private_or_reserved'],
    ['10.1.2.3', 'private_or_reserved'],
    ['10.255.255.255', 'private_or_reserved'],
    ['::ffff:10.0.0.1', 'private_or_reserved'],
    ['172.16.0.1', 'private_or_reserved'],
    ['172.31.255.255', 'private_or_reserved'],
    ['192.168.0.0', 'private_or_reserved'],
    ['192.168.1.1', 'private_or_reserved'],
    ['192.168.255.255', 'private_or_reserved'],
    // CGNAT (RFC 6598), link-local, IETF protocol assignments, benchmarking
    ['100.64.0.1', 'private_or_reserved'],
    ['100.127.255.255', 'private_or_reserved'],
    ['169.254.0.1', 'private_or_reserved'],
    ['169.254.255.255', 'private_or_reserved'],
    ['192.0.0.8', 'private_or_reserved'],
    ['198.18.0.1', 'private_or_reserved'],
    ['198.19.255.255', 'private_or_reserved'],
    // unspecified and "this network" (connecting to 0.0.0.0 or :: reaches the local host), multicast, reserved, broadcast
    ['0.0.0.0', 'private_or_reserved'],
    ['0.1.2.3', 'private_or_reserved'],
    ['::', 'private_or_reserved'],
    ['::ffff:0.0.0.0', 'private_or_reserved'],
    ['224.0.0.1', 'private_or_reserved'],
    ['239.255.255.250', 'private_or_reserved'],
    ['240.0.0.1', 'private_or_reserved'],
    ['255.255.255.255', 'private_or_reserved'],
    // IPv6 unique local, link-local, multicast
    ['fc00::1', 'private_or_reserved'],
    ['fdff:ffff::1', 'private_or_reserved'],
    ['fe80::1', 'private_or_reserved'],
    ['febf:ffff::1', 'private_or_reserved'],
    ['ff02::1', 'private_or_reserved'],
    // NAT64 (RFC 6052): a translator on the path (an AWS NAT gateway for IPv6-only subnets) connects to the embedded
    // IPv4 address, so `64:ff9b::a00:7` is 10.0.0.7 and `64:ff9b::7f00:1` is 127.0.0.1
    ['64:ff9b::10.0.0.7', 'private_or_reserved'],
    ['64:ff9b::a00:7', 'private_or_reserved'],
    ['64:ff9b::a9fe:a9fe', 'private_or_reserved'],
    ['64:ff9b::c0a8:101', 'private_or_reserved'],
    ['64:ff9b::6464:64c8', 'private_or_reserved'],
    ['64:ff9b::7f00:1', 'loopback'],
    // the local-use NAT64 prefix (RFC 8215) embeds IPv4 where the operator decides: refused whole
    ['64:ff9b:1::a00:7', 'private_or_reserved'],
    // deprecated IPv4-compatible (`::a.b.c.d`) and IPv4-translated (`::ffff:0:a.b.c.d`) forms: never a real receiver
    ['::127.0.0.1', 'private_or_reserved'],
    ['::7f00:1', 'private_or_reserved'],
    ['::8.8.8.8', 'private_or_reserved'],
    ['::ffff:0:a00:7', 'private_or_reserved'],
    // what DNS cannot be trusted to return
    ['example.com', 'not_an_ip'],
    ['', 'not_an_ip'],
    ['127.0.0.1.nip.io', 'not_an_ip'],
    ['[::1]', 'not_an_ip'],
  ])('refuses %s (%s)', (address, reason) => {
    expect(checkAddress(address, strict)).toEqual({ allowed: false, reason });
  });

  it.each([
    '93.184.216.34',
    '8.8.8.8',
    '1.1.1.1',
    '9.255.255.255',
    '11.0.0.0',
    '126.255.255.255',
    '128.0.0.1',
    '172.15.255.255',
    '172.32.0.1',
    '100.63.255.255',
    '100.128.0.1',
    '169.253.255.255',
    '169.255.0.1',
    '192.0.1.1',
    '192.167.255.255',
    '192.169.0.1',
    '198.17.255.255',
    '198.20.0.1',
    '223.255.255.255',
    '::ffff:8.8.8.8',
    '::ffff:808:808',
    '2606:4700::1111',
    '2a00:1450:4009:81f::200e',
    // a public IPv4 address through NAT64: what DNS64 answers for every IPv4-only receiver in an IPv6-only subnet
    '64:ff9b::8.8.8.8',
    '64:ff9b::5db8:d822',
  ])('allows the public address %s', (address) => {
    expect(checkAddress(address, strict)).toEqual({ allowed: true });
  });

  it('allows loopback only with the development flag, and nothing else private with it', () => {
    for (const address of ['127.0.0.1', '127.8.9.10', '::1', '::ffff:127.0.0.1', '::ffff:7f00:1', '64:ff9b::7f00:1']) {
      expect(checkAddress(address, dev)).toEqual({ allowed: true });
    }
    for (const address of ['169.254.169.254', '10.0.0.1', '0.0.0.0', '::', 'fd00:ec2::254', '64:ff9b::a9fe:a9fe', '::127.0.0.1']) {
      expect(checkAddress(address, dev)).toEqual({ allowed: false, reason: 'private_or_reserved' });
    }
    expect(checkAddress('localhost', dev)).toEqual({ allowed: false, reason: 'not_an_ip' });
  });
});
