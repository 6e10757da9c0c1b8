/**
 * PUTs one part's bytes to its presigned URL with XMLHttpRequest (fetch reports no upload
 * progress); `onProgress` gets the bytes sent so far. Rejects on an answer other than 2xx, a
 * network error or `signal`.
 *
 * @example
 * await putPart(part.url, file.slice(part.start, part.end), (sent) => (inFlight[part.partNumber] = sent));
 */
export function putPart(
  url: string,
  body: Blob,
  onProgress: (sent: number) => void,
  signal: AbortSignal,
): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const request = new XMLHttpRequest();
    const abort = () => request.abort();
    signal.addEventListener('abort', abort, { once: true });
    const settle = (error?: unknown) => {
      signal.removeEventListener('abort', abort);
      if (error === undefined) resolve();
      else reject(error);
    };
    request.upload.onprogress = (event) => onProgress(event.loaded);
    request.onload = () =>
      request.status >= 200 && request.status < 300
        ? settle()
        : settle(new Error(`the storage refused a part (HTTP ${request.status})`));
    request.onerror = () => settle(new Error('the connection to the storage was lost'));
    request.onabort = () => settle(signal.reason ?? new DOMException('aborted', 'AbortError'));
    request.open('PUT', url);
    request.send(body);
  });
}
