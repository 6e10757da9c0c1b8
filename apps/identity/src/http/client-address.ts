/**
 * The address of the client behind a request: the first hop of `x-forwarded-for` when the
 * request comes through a trusted proxy (the edge), else the socket's peer.
 *
 * @example
 * clientAddress({ 'x-forwarded-for': '203.0.113.9, 10.0.0.2' }, '127.0.0.1', true); // '203.0.113.9'
 */
export function clientAddress(
  headers: Record<string, string | string[] | undefined>,
  remoteAddress: string | undefined,
  trustProxy: boolean,
): string {
  if (trustProxy) {
    const forwarded = headers['x-forwarded-for'];
    const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim();
    if (first) return first;
  }
  return remoteAddress ?? 'unknown';
}
