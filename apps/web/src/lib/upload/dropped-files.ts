/** A directory entry of a drop, as Chromium, Firefox and Safari give it (`webkitGetAsEntry`). */
interface DroppedEntry {
  isFile: boolean;
  isDirectory: boolean;
  fullPath: string;
  file?(success: (file: File) => void, failure: (error: unknown) => void): void;
  createReader?(): { readEntries(success: (entries: DroppedEntry[]) => void, failure: (error: unknown) => void): void };
}

async function filesOf(entry: DroppedEntry): Promise<File[]> {
  if (entry.isFile && entry.file) {
    return [await new Promise<File>((resolve, reject) => entry.file!(resolve, reject))];
  }
  if (!entry.isDirectory || !entry.createReader) return [];
  const reader = entry.createReader();
  const files: File[] = [];
  // readEntries answers in batches (100 in Chromium) until an empty one.
  for (;;) {
    const batch = await new Promise<DroppedEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
    if (batch.length === 0) return files;
    for (const child of batch) files.push(...(await filesOf(child)));
  }
}

/**
 * Every file of a drop, walking dropped folders recursively.
 *
 * @example
 * zone.ondrop = async (event) => manager.add(await droppedFiles(event.dataTransfer!));
 */
export async function droppedFiles(transfer: DataTransfer): Promise<File[]> {
  const entries = [...transfer.items]
    .filter((item) => item.kind === 'file')
    .map((item) => (item.webkitGetAsEntry?.() ?? null) as DroppedEntry | null);
  if (entries.some((entry) => entry === null)) return [...transfer.files];
  const files = await Promise.all(entries.map((entry) => filesOf(entry!)));
  return files.flat();
}
