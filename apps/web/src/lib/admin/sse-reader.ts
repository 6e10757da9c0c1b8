import { createParser } from 'eventsource-parser';

/** One Server-Sent Event: its `event:` name (default `message`), `id:` and `data:`. */
export interface ServerSentEvent {
  event: string;
  id: string | undefined;
  data: string;
}

/**
 * Reads a `text/event-stream` body and hands each event to `onEvent` until the stream ends or
 * the reading is aborted (then it resolves quietly).
 *
 * @example
 * await readServerSentEvents(await api.busEvents({ signal }), (e) => feed.push(JSON.parse(e.data)));
 */
export async function readServerSentEvents(
  body: ReadableStream<Uint8Array>,
  onEvent: (event: ServerSentEvent) => void,
): Promise<void> {
  const parser = createParser({
    onEvent: (message) => onEvent({ event: message.event ?? 'message', id: message.id, data: message.data }),
  });
  const decoder = new TextDecoder();
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      parser.feed(decoder.decode(value, { stream: true }));
    }
  } catch (error) {
    if ((error as Error).name !== 'AbortError') throw error;
  } finally {
    reader.releaseLock();
  }
}
