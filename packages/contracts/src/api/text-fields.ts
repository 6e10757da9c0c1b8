import { z } from 'zod';

/**
 * A string field that is stored or sent on as text: it may not hold a NUL character, which
 * Postgres refuses in `text` and S3 refuses in metadata, so such input is a 400, not a 500.
 */
export function textField() {
  return z.string().refine((value) => !value.includes('\u0000'), 'must not contain NUL characters');
}

/** A media type such as `audio/flac` or `audio/mpeg; charset=binary`: printable ASCII only (it becomes an HTTP header). */
export const mediaTypeSchema = z
  .string()
  .trim()
  .max(255)
  .regex(/^[\w!#$&^.+-]+\/[\w!#$&^.+-]+(\s*;[\x20-\x7e]*)?$/, 'must be a media type such as audio/flac');
