import { get } from 'node:http';

/**
 * A GET on a connection of its own, its body read and dropped: with several edge workers on one
 * port, each such request lets the kernel pick a worker again.
 *
 * @example
 * expect(await freshGet(`${edgeUrl}/stream/${trackId}/master.m3u8?t=${token}`)).toBe(200);
 */
export function freshGet(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    get(url, { agent: false }, (response) => {
      response.resume();
      response.once('end', () => resolve(response.statusCode ?? 0));
    }).once('error', reject);
  });
}
