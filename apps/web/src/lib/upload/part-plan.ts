/** A part still to send: its number, presigned URL and byte range (`end` exclusive). */
export interface PartToSend {
  partNumber: number;
  url: string;
  start: number;
  end: number;
}

/**
 * The parts of a file of `size` bytes cut at `partSize` that still need sending: those with a URL
 * and not already received. A URL for a part past the end of the file is refused, since sending
 * it would corrupt the object.
 *
 * @example
 * partsToSend(12, 5, [{ partNumber: 1, url: 'u1' }, { partNumber: 3, url: 'u3' }], [1])
 * // [{ partNumber: 3, url: 'u3', start: 10, end: 12 }]
 */
export function partsToSend(
  size: number,
  partSize: number,
  urls: readonly { partNumber: number; url: string }[],
  received: readonly number[] = [],
): PartToSend[] {
  if (!Number.isInteger(partSize) || partSize < 1) throw new RangeError(`part size must be positive, got ${partSize}`);
  const count = Math.max(1, Math.ceil(size / partSize));
  const done = new Set(received);
  return urls
    .filter((part) => !done.has(part.partNumber))
    .map((part) => {
      if (!Number.isInteger(part.partNumber) || part.partNumber < 1 || part.partNumber > count) {
        throw new RangeError(`part ${part.partNumber} is outside a file of ${count} parts`);
      }
      const start = (part.partNumber - 1) * partSize;
      return { partNumber: part.partNumber, url: part.url, start, end: Math.min(size, start + partSize) };
    })
    .sort((a, b) => a.partNumber - b.partNumber);
}
