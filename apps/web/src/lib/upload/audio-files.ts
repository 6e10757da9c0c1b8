const audioExtensions = new Set([
  'mp3',
  'flac',
  'wav',
  'wave',
  'ogg',
  'oga',
  'opus',
  'm4a',
  'aac',
  'mp4',
  'aif',
  'aiff',
  'aifc',
  'wma',
  'webm',
]);

/**
 * Whether a dropped file is worth uploading: audio by its type or extension, never a hidden file
 * such as `.DS_Store`. The server still checks the content, so a mislabelled file fails with a reason.
 *
 * @example
 * looksLikeAudio({ name: 'cover.jpg', type: 'image/jpeg' }) // false
 */
export function looksLikeAudio(file: { name: string; type: string }): boolean {
  const name = file.name.split('/').at(-1) ?? file.name;
  if (name.startsWith('.')) return false;
  if (file.type.startsWith('audio/')) return true;
  const extension = name.includes('.') ? name.split('.').at(-1)!.toLowerCase() : '';
  return audioExtensions.has(extension);
}
