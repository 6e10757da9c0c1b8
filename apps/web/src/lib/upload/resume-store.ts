/** An upload session kept across reloads, so the same file dropped again resumes it. */
export interface KeptUpload {
  uploadId: string;
  trackId: string;
  partSize: number;
  sha256: string;
  savedAt: number;
}

/** The file facts that say "the same file again" without reading it. */
export interface FileIdentity {
  name: string;
  size: number;
  lastModified: number;
}

const prefix = 'tonearm.upload.';
const maxAgeMs = 6 * 24 * 3600 * 1000;

/**
 * The key a file's session is kept under: name, size and modification time (a file edited since
 * starts over).
 *
 * @example
 * uploadKey({ name: 'a.flac', size: 10, lastModified: 5 }) // 'tonearm.upload.a.flac:10:5'
 */
export function uploadKey(file: FileIdentity): string {
  return `${prefix}${file.name}:${file.size}:${file.lastModified}`;
}

/**
 * Keeps open upload sessions in `storage` (localStorage in the browser) by {@link uploadKey}.
 * Entries older than the sessions' server-side life, or unreadable, are dropped.
 */
export class ResumeStore {
  #storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;
  #now: () => number;

  constructor(storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>, now: () => number = Date.now) {
    this.#storage = storage;
    this.#now = now;
  }

  /** The session kept for this file, if any and still young enough. */
  get(file: FileIdentity): KeptUpload | undefined {
    const key = uploadKey(file);
    const text = this.#storage.getItem(key);
    if (!text) return undefined;
    try {
      const kept = JSON.parse(text) as KeptUpload;
      if (
        typeof kept.uploadId === 'string' &&
        typeof kept.partSize === 'number' &&
        this.#now() - kept.savedAt < maxAgeMs
      )
        return kept;
    } catch {
      // An unreadable entry is as good as none.
    }
    this.#storage.removeItem(key);
    return undefined;
  }

  /** Keeps the session of this file. */
  put(file: FileIdentity, upload: Omit<KeptUpload, 'savedAt'>): void {
    this.#storage.setItem(uploadKey(file), JSON.stringify({ ...upload, savedAt: this.#now() }));
  }

  /** Forgets the session of this file (completed, refused or cancelled). */
  forget(file: FileIdentity): void {
    this.#storage.removeItem(uploadKey(file));
  }
}
