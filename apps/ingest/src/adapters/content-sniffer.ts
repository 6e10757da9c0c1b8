import { fileTypeFromBuffer } from 'file-type';

/** How many leading bytes the sniffer needs to recognise a format. */
export const SNIFF_BYTES = 4100;

/** The answer of a sniff: the audio type recognised, or why the bytes are not audio. */
export type SniffResult = { ok: true; mime: string; extension: string } | { ok: false; reason: string };

/** Containers that file-type names as video or generic but that carry audio-only files as well. */
const AUDIO_CONTAINERS = new Set(['video/mp4', 'video/ogg', 'application/ogg', 'video/webm', 'video/x-matroska']);

/** Non-audio types worth naming in the reason, because people rename them by mistake. */
const KNOWN_OTHERS: Record<string, string> = {
  'application/zip': 'a zip archive',
  'application/pdf': 'a PDF document',
  'image/jpeg': 'a JPEG image',
  'image/png': 'a PNG image',
  'application/gzip': 'a gzip archive',
  'application/x-tar': 'a tar archive',
};

/**
 * Recognises audio by its magic bytes (file-type), before anything else reads the file.
 *
 * @example
 * sniffAudio(firstBytes); // { ok: false, reason: 'not an audio file: it is a zip archive' }
 */
export async function sniffAudio(head: Uint8Array): Promise<SniffResult> {
  if (head.length === 0) return { ok: false, reason: 'the file is empty' };
  const type = await fileTypeFromBuffer(head);
  if (!type) return { ok: false, reason: 'not an audio file: its content is not a known audio format' };
  if (type.mime.startsWith('audio/') || AUDIO_CONTAINERS.has(type.mime)) {
    return { ok: true, mime: type.mime, extension: type.ext };
  }
  const what = KNOWN_OTHERS[type.mime] ?? `${type.mime} (.${type.ext})`;
  return { ok: false, reason: `not an audio file: it is ${what}` };
}
