import { formatBytes, type FileOutcome } from './ingest-report.ts';

/** Progress of an ingest run: a live line on a terminal, plain lines elsewhere. */
export interface Progress {
  line(text: string): void;
  start(files: number, bytes: number): void;
  begin(path: string): void;
  /** Counts bytes sent; `sent: false` counts bytes a resumed upload already had. */
  uploaded(bytes: number, sent?: boolean): void;
  end(outcome: FileOutcome): void;
  finish(): void;
  uploadedBytes(): number;
}

/**
 * The status line: files done, bytes, rate, ETA and the files in flight, cut to `width`.
 *
 * @example
 * statusLine({ done: 1, files: 4, bytes: 1024, totalBytes: 4096, elapsedMs: 1000, inFlight: ['a.flac'] }, 80)
 * // '[1/4] 1.0 KiB/4.0 KiB 25% 1.0 KiB/s ETA 3s | a.flac'
 */
export function statusLine(
  state: { done: number; files: number; bytes: number; totalBytes: number; elapsedMs: number; inFlight: string[] },
  width: number,
): string {
  const rate = state.elapsedMs > 0 ? state.bytes / (state.elapsedMs / 1000) : 0;
  const percent = state.totalBytes > 0 ? Math.floor((state.bytes / state.totalBytes) * 100) : 100;
  const eta = rate > 0 ? `${Math.ceil((state.totalBytes - state.bytes) / rate)}s` : '?';
  const text =
    `[${state.done}/${state.files}] ${formatBytes(state.bytes)}/${formatBytes(state.totalBytes)} ${percent}% ` +
    `${formatBytes(Math.round(rate))}/s ETA ${eta}` +
    (state.inFlight.length > 0 ? ` | ${state.inFlight.join(', ')}` : '');
  return text.length > width ? `${text.slice(0, Math.max(0, width - 1))}…` : text;
}

function describe(outcome: FileOutcome): string {
  switch (outcome.outcome) {
    case 'ingested':
      return `ingested ${outcome.path} -> ${outcome.trackId} (${outcome.status})`;
    case 'skipped':
      return `skipped ${outcome.path}: ${outcome.reason}`;
    case 'failed':
      return `FAILED ${outcome.path}: ${outcome.reason}`;
    default:
      return `${outcome.outcome} ${outcome.path}`;
  }
}

/** A progress display writing to `stream`: live when it is a terminal. */
export function createProgress(stream: NodeJS.WriteStream): Progress {
  const live = stream.isTTY === true;
  const started = Date.now();
  const inFlight = new Set<string>();
  let files = 0;
  let totalBytes = 0;
  let done = 0;
  let bytes = 0;
  let sentBytes = 0;
  let timer: NodeJS.Timeout | undefined;
  const draw = () => {
    const names = [...inFlight].map((path) => path.split('/').pop() ?? path);
    const line = statusLine(
      { done, files, bytes, totalBytes, elapsedMs: Date.now() - started, inFlight: names },
      (stream.columns || 80) - 1,
    );
    stream.write(`\r\u001b[2K${line}`);
  };
  const print = (text: string) => {
    if (live) stream.write(`\r\u001b[2K${text}\n`);
    else stream.write(`${text}\n`);
    if (live && timer) draw();
  };
  return {
    line: print,
    start(count, size) {
      files = count;
      totalBytes = size;
      if (live) timer = setInterval(draw, 200);
      else stream.write(`Uploading ${count} file${count === 1 ? '' : 's'} (${formatBytes(size)})\n`);
    },
    begin(path) {
      inFlight.add(path);
    },
    uploaded(count, sent = true) {
      bytes += count;
      if (sent) sentBytes += count;
    },
    end(outcome) {
      inFlight.delete(outcome.path);
      done++;
      print(describe(outcome));
    },
    finish() {
      if (timer) clearInterval(timer);
      timer = undefined;
      if (live) stream.write('\r\u001b[2K');
    },
    uploadedBytes: () => sentBytes,
  };
}
