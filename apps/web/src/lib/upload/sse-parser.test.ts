import { describe, expect, it } from 'vitest';
import { SseParser } from './sse-parser.ts';

describe('SseParser', () => {
  it('answers an event once its blank line arrives, however the chunks are cut', () => {
    const sut = new SseParser();

    expect(sut.push('id: 7\nevent: sta')).toEqual([]);
    expect(sut.push('tus\ndata: {"a"')).toEqual([]);
    expect(sut.push(':1}\n\n')).toEqual([{ event: 'status', data: '{"a":1}', id: '7' }]);
  });

  it('joins several data lines, skips comments and reads CRLF line ends', () => {
    const sut = new SseParser();

    expect(sut.push(': keep-alive\r\ndata: one\r\ndata: two\r')).toEqual([]);
    expect(sut.push('\n\r\n')).toEqual([{ event: 'message', data: 'one\ntwo' }]);
  });

  it('answers several events of one chunk in order', () => {
    const sut = new SseParser();

    const events = sut.push('event: open\ndata: {}\n\nevent: ping\ndata:\n\n');

    expect(events.map((event) => event.event)).toEqual(['open', 'ping']);
  });
});
