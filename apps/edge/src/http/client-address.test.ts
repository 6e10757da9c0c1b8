import { describe, expect, it } from 'vitest';
import { clientAddress, normalizeAddress, trustedProxies } from './client-address.ts';

const proxies = trustedProxies(['10.0.0.0/8', '192.168.1.5', 'fd00::/8', '::1']);

describe('trustedProxies', () => {
  it('matches single IPv4 addresses and CIDR ranges', () => {
    expect(proxies.has('192.168.1.5')).toBe(true);
    expect(proxies.has('192.168.1.6')).toBe(false);
    expect(proxies.has('10.200.3.4')).toBe(true);
    expect(proxies.has('11.0.0.1')).toBe(false);
  });

  it('matches IPv6 addresses and ranges', () => {
    expect(proxies.has('::1')).toBe(true);
    expect(proxies.has('fd12:3456::1')).toBe(true);
    expect(proxies.has('2001:db8::1')).toBe(false);
  });

  it('treats ::ffff: mapped IPv4 as IPv4, in the list and in a candidate', () => {
    expect(proxies.has('::ffff:10.1.1.1')).toBe(true);
    expect(trustedProxies(['::ffff:172.16.0.1']).has('172.16.0.1')).toBe(true);
  });

  it('trusts nobody when empty and never a string that is not an address', () => {
    expect(trustedProxies([]).has('127.0.0.1')).toBe(false);
    expect(proxies.has('not-an-ip')).toBe(false);
  });

  it.each(['localhost', '10.0.0.0/33', 'fd00::/129', '10.0.0.1/8/9', '10.0.0.0/', '10.0.0.0/x', '999.1.1.1', ''])(
    'refuses the entry %j',
    (entry) => {
      expect(() => trustedProxies([entry])).toThrow();
    },
  );
});

describe('normalizeAddress', () => {
  it('unmaps ::ffff: IPv4 and leaves other addresses alone', () => {
    expect(normalizeAddress(' ::FFFF:1.2.3.4 ')).toBe('1.2.3.4');
    expect(normalizeAddress('2001:db8::1')).toBe('2001:db8::1');
  });
});

describe('clientAddress', () => {
  it('is the socket peer when the peer is not trusted, whatever the header says', () => {
    expect(clientAddress({ peer: '203.0.113.9', forwardedFor: '1.1.1.1', trusted: proxies })).toBe('203.0.113.9');
  });

  it('is the socket peer when nobody is trusted', () => {
    expect(clientAddress({ peer: '10.0.0.2', forwardedFor: '1.1.1.1', trusted: trustedProxies([]) })).toBe('10.0.0.2');
  });

  it('is the socket peer when a trusted peer sends no header', () => {
    expect(clientAddress({ peer: '::ffff:10.0.0.2', trusted: proxies })).toBe('10.0.0.2');
  });

  it('takes the right-most untrusted hop, ignoring what the client forged on the left', () => {
    const sut = clientAddress({
      peer: '10.0.0.2',
      forwardedFor: '6.6.6.6, 203.0.113.7, 192.168.1.5',
      trusted: proxies,
    });
    expect(sut).toBe('203.0.113.7');
  });

  it('walks IPv6 and mapped hops', () => {
    expect(clientAddress({ peer: '::1', forwardedFor: '2001:db8::7, fd00::2', trusted: proxies })).toBe('2001:db8::7');
    expect(clientAddress({ peer: '::ffff:10.0.0.2', forwardedFor: '::ffff:198.51.100.4', trusted: proxies })).toBe(
      '198.51.100.4',
    );
  });

  it('gives the left-most hop when every hop is a trusted proxy', () => {
    expect(clientAddress({ peer: '10.0.0.2', forwardedFor: '10.0.0.9, 10.0.0.8', trusted: proxies })).toBe('10.0.0.9');
  });

  it('stops at the last good hop when an entry is not an address', () => {
    expect(clientAddress({ peer: '10.0.0.2', forwardedFor: '203.0.113.7, garbage', trusted: proxies })).toBe(
      '10.0.0.2',
    );
    expect(clientAddress({ peer: '10.0.0.2', forwardedFor: 'garbage, 10.0.0.3', trusted: proxies })).toBe('10.0.0.3');
  });
});
