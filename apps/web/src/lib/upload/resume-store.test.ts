import { describe, expect, it } from 'vitest';
import { ResumeStore, uploadKey } from './resume-store.ts';

/** A Storage kept in a Map, as localStorage behaves. */
function memoryStorage() {
  const items = new Map<string, string>();
  return {
    items,
    getItem: (key: string) => items.get(key) ?? null,
    setItem: (key: string, value: string) => void items.set(key, value),
    removeItem: (key: string) => void items.delete(key),
  };
}

const file = { name: 'Song.flac', size: 1234, lastModified: 99 };
const upload = { uploadId: 'u-1', trackId: 't-1', partSize: 5_242_880, sha256: 'ab'.repeat(32) };

describe('ResumeStore', () => {
  it('finds the session of the same file again, and not of a changed one', () => {
    const storage = memoryStorage();
    const sut = new ResumeStore(storage, () => 1000);

    sut.put(file, upload);

    expect(sut.get(file)).toEqual({ ...upload, savedAt: 1000 });
    expect(sut.get({ ...file, lastModified: 100 })).toBeUndefined();
    expect(sut.get({ ...file, size: 1235 })).toBeUndefined();
  });

  it('forgets a session on request', () => {
    const sut = new ResumeStore(memoryStorage());
    sut.put(file, upload);

    sut.forget(file);

    expect(sut.get(file)).toBeUndefined();
  });

  it('drops sessions older than a server keeps them, and unreadable entries', () => {
    const storage = memoryStorage();
    let now = 0;
    const sut = new ResumeStore(storage, () => now);
    sut.put(file, upload);
    now = 7 * 24 * 3600 * 1000;

    expect(sut.get(file)).toBeUndefined();
    expect(storage.items.size).toBe(0);
    storage.setItem(uploadKey(file), '{not json');
    expect(sut.get(file)).toBeUndefined();
    expect(storage.items.size).toBe(0);
  });
});
