import { describe, expect, it } from 'vitest';
import { readServerSentEvents, type ServerSentEvent } from './sse-reader.ts';

function streamOf(chunks: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      controller.close();
    },
  });
}

describe('readServerSentEvents', () => {
  it('hands over each event, even when one is split across chunks', async () => {
    const events: ServerSentEvent[] = [];

    await readServerSentEvents(
      streamOf(['event: a.done.v1\nid: 1\ndata: {"x":', '1}\n\n', ': keep-alive\n\ndata: plain\n\n']),
      (event) => events.push(event),
    );

    expect(events).toEqual([
      { event: 'a.done.v1', id: '1', data: '{"x":1}' },
      { event: 'message', id: undefined, data: 'plain' },
    ]);
  });

  it('ends quietly when the reading is aborted', async () => {
    const controller = new AbortController();
    const body = new ReadableStream<Uint8Array>({
      start(stream) {
        controller.signal.addEventListener('abort', () => stream.error(new DOMException('aborted', 'AbortError')));
      },
    });
    const reading = readServerSentEvents(body, () => undefined);

    controller.abort();

    await expect(reading).resolves.toBeUndefined();
  });
});
