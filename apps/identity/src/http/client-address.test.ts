import { describe, expect, it } from 'vitest';
import { clientAddress } from './client-address.ts';

describe(clientAddress.name, () => {
  it('takes the first hop of x-forwarded-for behind a trusted proxy', () => {
    expect(clientAddress({ 'x-forwarded-for': ' 203.0.113.9 , 10.0.0.2' }, '127.0.0.1', true)).toBe('203.0.113.9');
  });

  it('takes the first header when x-forwarded-for came several times', () => {
    expect(clientAddress({ 'x-forwarded-for': ['203.0.113.9', '198.51.100.1'] }, '127.0.0.1', true)).toBe(
      '203.0.113.9',
    );
  });

  it('ignores x-forwarded-for when the proxy is not trusted: a client could forge it', () => {
    expect(clientAddress({ 'x-forwarded-for': '203.0.113.9' }, '192.0.2.7', false)).toBe('192.0.2.7');
  });

  it('falls back to the peer address when the header is missing or empty', () => {
    expect(clientAddress({}, '192.0.2.7', true)).toBe('192.0.2.7');
    expect(clientAddress({ 'x-forwarded-for': ' , ' }, '192.0.2.7', true)).toBe('192.0.2.7');
    expect(clientAddress({}, undefined, true)).toBe('unknown');
  });
});
