/**
 * The edge's upload status stream (`GET /api/uploads/events`) for component tests: the body the
 * fake API answers, and `push` to send one Server-Sent Event into it.
 *
 * @example
 * const stream = statusStream();
 * stream.push('status', { trackId, status: 'ready' });
 */
export function statusStream() {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const body = new ReadableStream<Uint8Array>({ start: (c) => void (controller = c) });
  return {
    body,
    push: (event: string, data: unknown) =>
      controller.enqueue(new TextEncoder().encode(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`)),
  };
}
