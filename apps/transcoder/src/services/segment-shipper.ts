import { readdir } from 'node:fs/promises';
import { join } from 'node:path';

const segmentName = /^seg-(\d+)\.m4s$/;

/**
 * Uploads media segments while ffmpeg is still making the ladder, so that little is left to
 * upload when the pass ends. ffmpeg's fMP4 HLS muxer writes a segment's file whole when it cuts
 * the next one, so in each rendition's directory every segment but the highest-numbered is
 * finished; the last ones are left to the caller once the pass is over. Uploads run at most
 * `concurrency` at a time, a failure is kept and thrown by {@link SegmentShipper.drain}.
 *
 * @example
 * const shipper = new SegmentShipper({ dir, renditions: ['aac-64k'], concurrency: 8, upload });
 * onProgress: () => shipper.scan();
 * await shipper.drain(); // then upload what `shipped` does not hold
 */
export class SegmentShipper {
  private readonly options: {
    dir: string;
    renditions: readonly string[];
    concurrency: number;
    /** Uploads `<dir>/<rendition>/<file>`. */
    upload: (rendition: string, file: string) => Promise<void>;
  };
  /** `<rendition>/<file>` of every segment handed to `upload`. */
  readonly shipped = new Set<string>();
  private readonly queue: { rendition: string; file: string }[] = [];
  private readonly running = new Set<Promise<void>>();
  private failure: unknown;
  private scanning: Promise<void> | undefined;
  private stopped = false;

  constructor(options: SegmentShipper['options']) {
    this.options = options;
  }

  /** Looks for finished segments and starts their uploads; a scan already running is not doubled. */
  scan(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    this.scanning ??= this.findFinished().finally(() => (this.scanning = undefined));
    return this.scanning;
  }

  /**
   * Stops looking, waits for every started upload and throws the first failure.
   * What remains to upload is every segment not in {@link SegmentShipper.shipped}.
   */
  async drain(): Promise<void> {
    this.stopped = true;
    await this.scanning;
    for (const { rendition, file } of this.queue.splice(0)) this.shipped.delete(`${rendition}/${file}`);
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
    if (this.failure !== undefined) throw this.failure;
  }

  private async findFinished(): Promise<void> {
    for (const rendition of this.options.renditions) {
      const files = await readdir(join(this.options.dir, rendition)).catch(() => [] as string[]);
      const numbered = files
        .map((file) => ({ file, n: Number(segmentName.exec(file)?.[1] ?? -1) }))
        .filter((s) => s.n >= 0)
        .sort((a, b) => a.n - b.n);
      for (const { file } of numbered.slice(0, -1)) {
        const name = `${rendition}/${file}`;
        if (this.shipped.has(name) || this.stopped) continue;
        this.shipped.add(name);
        this.queue.push({ rendition, file });
      }
    }
    this.pump();
  }

  private pump(): void {
    while (this.running.size < this.options.concurrency && this.queue.length > 0 && this.failure === undefined) {
      const { rendition, file } = this.queue.shift()!;
      const task: Promise<void> = this.options
        .upload(rendition, file)
        .catch((error: unknown) => {
          this.failure ??= error;
        })
        .finally(() => {
          this.running.delete(task);
          this.pump();
        });
      this.running.add(task);
    }
  }
}
