import { checkAddress } from './address-guard';

const strict = { allowLoopback: false };
const dev = { allowLoopback: true };

describe(checkAddress.name, () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.8.9.10', 'loopback'],
    ['::1', 'loopback'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['169.254.169.254', 'private_or_reserved'],
    ['fd00:ec2::254', 'private_or_reserved'],
    ['10.1.2.3', 'private_or_reserved'],
    ['172.16.0.1', 'private_or_reserved'],
    ['172.31.255.255', 'private_or_reserved'],
    ['192.168.1.1', 'private_or_reserved'],
    ['100.64.0.1', 'private_or_reserved'],
    ['0.0.0.0', 'private_or_reserved'],
    ['::', 'private_or_reserved'],
    ['fe80::1', 'private_or_reserved'],
    ['fc00::1', 'private_or_reserved'],
    ['::ffff:169.254.169.254', 'private_or_reserved'],
    ['224.0.0.1', 'private_or_reserved'],
    ['example.com', 'not_an_ip'],
  ])('refuses %s (%s)', (address, reason) => {
    expect(checkAddress(address, strict)).toEqual({ allowed: false, reason });
  });

  it.each(['93.184.216.34', '172.32.0.1', '100.128.0.1', '2606:4700::1111', '8.8.8.8'])('allows the public address %s', (address) => {
    expect(checkAddress(address, strict)).toEqual({ allowed: true });
  });

  it('allows loopback only with the development flag, and nothing else private with it', () => {
    expect(checkAddress('127.0.0.1', dev)).toEqual({ allowed: true });
    expect(checkAddress('::1', dev)).toEqual({ allowed: true });
    expect(checkAddress('169.254.169.254', dev)).toEqual({ allowed: false, reason: 'private_or_reserved' });
    expect(checkAddress('10.0.0.1', dev)).toEqual({ allowed: false, reason: 'private_or_reserved' });
  });
});
