import { BlockList, isIP } from 'node:net';

/** The proxies whose `x-forwarded-for` the edge believes: a set of addresses and CIDR ranges. */
export interface TrustedProxies {
  /** Whether an address (IPv4, IPv6 or `::ffff:`-mapped IPv4) is one of the trusted proxies. */
  has(address: string): boolean;
  /** How many entries the list was built from; 0 trusts nobody. */
  readonly size: number;
}

/** An IPv4 address mapped into IPv6 (`::ffff:10.0.0.1`) as plain IPv4; any other address as it is. */
export function normalizeAddress(address: string): string {
  const trimmed = address.trim();
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(trimmed);
  return mapped ? mapped[1]! : trimmed;
}

/**
 * Parses a list of trusted proxy addresses and CIDR ranges (`10.0.0.1`, `10.0.0.0/8`, `fd00::/8`).
 *
 * @throws Error naming the first entry that is neither an address nor a CIDR range
 * @example
 * const proxies = trustedProxies(['10.0.0.0/8', '::1']);
 * proxies.has('10.1.2.3'); // true
 */
export function trustedProxies(entries: readonly string[]): TrustedProxies {
  const list = new BlockList();
  for (const entry of entries) {
    const [rawAddress, rawPrefix, ...rest] = entry.trim().split('/');
    const address = normalizeAddress(rawAddress ?? '');
    const family = isIP(address);
    if (family === 0 || rest.length > 0) throw new Error(`"${entry}" is not an IP address or CIDR range`);
    const type = family === 4 ? 'ipv4' : 'ipv6';
    if (rawPrefix === undefined) {
      list.addAddress(address, type);
      continue;
    }
    const prefix = Number(rawPrefix);
    if (!/^\d{1,3}$/.test(rawPrefix) || prefix > (family === 4 ? 32 : 128)) {
      throw new Error(`"${entry}" has a bad prefix length`);
    }
    list.addSubnet(address, prefix, type);
  }
  return {
    size: entries.length,
    has(candidate) {
      const address = normalizeAddress(candidate);
      const family = isIP(address);
      if (family === 0) return false;
      return list.check(address, family === 4 ? 'ipv4' : 'ipv6');
    },
  };
}

/**
 * The client's address: the socket peer, unless the peer is a trusted proxy; then the right-most
 * `x-forwarded-for` entry that is not itself a trusted proxy (entries left of it can be forged by
 * the client, so they are never read). A chain of trusted proxies only gives its left-most entry;
 * an entry that is not an address stops the walk at the last good hop.
 *
 * @example
 * clientAddress({ peer: '10.0.0.2', forwardedFor: '6.6.6.6, 203.0.113.7', trusted: trustedProxies(['10.0.0.0/8']) });
 * // '203.0.113.7'
 */
export function clientAddress(input: {
  peer: string;
  forwardedFor?: string | undefined;
  trusted: TrustedProxies;
}): string {
  let address = normalizeAddress(input.peer);
  if (input.trusted.size === 0 || !input.trusted.has(address) || !input.forwardedFor) return address;
  const hops = input.forwardedFor.split(',').map((hop) => normalizeAddress(hop));
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = hops[i]!;
    if (isIP(hop) === 0) return address;
    address = hop;
    if (!input.trusted.has(hop)) return hop;
  }
  return address;
}
