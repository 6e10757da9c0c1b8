import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { writePrivateFile } from '../config/config-store.ts';

/** What identifies one local file's content on one server. */
export interface FileIdentity {
  server: string;
  path: string;
  size: number;
  mtimeMs: number;
  sha256: string;
}

const entrySchema = z.object({ uploadId: z.string(), trackId: z.string(), updatedAt: z.string() });
const stateSchema = z.object({ uploads: z.record(z.string(), entrySchema).default({}) });

/** An upload session started for a file, kept so a rerun can resume it. */
export type UploadStateEntry = z.infer<typeof entrySchema>;

/**
 * The key of a file in the state file: any change of server, path, size, mtime or content makes
 * a new key, so a changed file is never resumed into an old session.
 *
 * @example
 * uploadStateKey({ server: 'http://e', path: '/a.flac', size: 3, mtimeMs: 1.5, sha256: 'ab' })
 * // '["http://e","/a.flac",3,1.5,"ab"]'
 */
export function uploadStateKey(file: FileIdentity): string {
  return JSON.stringify([file.server, file.path, file.size, file.mtimeMs, file.sha256]);
}

/** The upload sessions of unfinished files, in `uploads.json` of the config dir (0600). */
export class UploadStateFile {
  readonly #path: string;
  readonly #directory: string;
  #uploads: Record<string, UploadStateEntry> = {};
  #writing: Promise<void> = Promise.resolve();

  constructor(directory: string) {
    this.#directory = directory;
    this.#path = join(directory, 'uploads.json');
  }

  /** Reads the file; a missing or unreadable one starts empty (it only saves work). */
  async load(): Promise<void> {
    try {
      this.#uploads = stateSchema.parse(JSON.parse(await readFile(this.#path, 'utf8'))).uploads;
    } catch {
      this.#uploads = {};
    }
  }

  get(file: FileIdentity): UploadStateEntry | undefined {
    return this.#uploads[uploadStateKey(file)];
  }

  /** Records (entry) or forgets (undefined) the session of a file and writes the file. */
  set(file: FileIdentity, entry: Omit<UploadStateEntry, 'updatedAt'> | undefined): Promise<void> {
    const key = uploadStateKey(file);
    if (entry) this.#uploads[key] = { ...entry, updatedAt: new Date().toISOString() };
    else delete this.#uploads[key];
    const content = `${JSON.stringify({ uploads: this.#uploads }, null, 2)}\n`;
    this.#writing = this.#writing.then(() => writePrivateFile(this.#path, this.#directory, content));
    return this.#writing;
  }
}
