import { formatBytes, type FileOutcome } from './ingest-report.ts';

/** Progress of an ingest run: a live multi-line display on a terminal, plain lines elsewhere. */
export interface Progress {
  line(text: string): void;
  start(files: number, bytes: number): void;
  begin(path: string, size: number): void;
  /** Counts bytes of a file; `sent: false` counts bytes a resumed upload already had. */
  uploaded(path: string, bytes: number, sent?: boolean): void;
  /** The file is uploaded and `--wait` follows it until ready or failed. */
  processing(path: string): void;
  end(outcome: FileOutcome): void;
  finish(): void;
  uploadedBytes(): number;
}

/** A file being worked on, as the display shows it. */
export interface FileInFlight {
  name: string;
  size: number;
  bytes: number;
  phase: 'uploading' | 'processing';
}

/** Everything the live display shows, at one moment. */
export interface ProgressState {
  done: number;
  files: number;
  bytes: number;
  totalBytes: number;
  elapsedMs: number;
  inFlight: FileInFlight[];
}

/**
 * A duration for people: `45s`, `3m05s`, `1h02m`.
 *
 * @example
 * formatDuration(185) // '3m05s'
 */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.ceil(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

function bar(fraction: number, width: number): string {
  const filled = Math.round(Math.min(1, Math.max(0, fraction)) * width);
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]`;
}

function fit(text: string, width: number): string {
  return text.length > width ? `${text.slice(0, Math.max(0, width - 1))}…` : text;
}

/**
 * The live display as lines, each cut to `width`: the overall bar with files done, bytes, rate
 * and ETA, then one line per file in flight (at most `maxFiles`, then a count of the others).
 *
 * @example
 * renderProgress({ done: 1, files: 4, bytes: 1024, totalBytes: 4096, elapsedMs: 1000, inFlight: [] }, 80)
 * // ['[#####---------------]  25% 1/4 files 1.0 KiB/4.0 KiB 1.0 KiB/s ETA 3s']
 */
export function renderProgress(state: ProgressState, width: number, maxFiles = 8): string[] {
  const rate = state.elapsedMs > 0 ? state.bytes / (state.elapsedMs / 1000) : 0;
  const fraction = state.totalBytes > 0 ? state.bytes / state.totalBytes : 1;
  const remaining = state.totalBytes - state.bytes;
  const eta = remaining <= 0 ? '0s' : rate > 0 ? formatDuration(remaining / rate) : '?';
  const lines = [
    `${bar(fraction, 20)} ${String(Math.floor(fraction * 100)).padStart(3)}% ${state.done}/${state.files} files ` +
      `${formatBytes(state.bytes)}/${formatBytes(state.totalBytes)} ${formatBytes(Math.round(rate))}/s ETA ${eta}`,
  ];
  for (const file of state.inFlight.slice(0, maxFiles)) {
    const detail =
      file.phase === 'processing'
        ? 'uploaded, processing'
        : `${bar(file.size > 0 ? file.bytes / file.size : 1, 10)} ${formatBytes(file.bytes)}/${formatBytes(file.size)}`;
    lines.push(`  ${detail} ${file.name}`);
  }
  if (state.inFlight.length > maxFiles) lines.push(`  … and ${state.inFlight.length - maxFiles} more`);
  return lines.map((line) => fit(line, width));
}

/**
 * The terminal bytes that replace the `previous` lines drawn last time (the cursor below them)
 * with `printed` lines that scroll up and stay, then the fresh live `lines`.
 *
 * @example
 * redraw(2, ['done a.flac'], ['[###] 50%']) // '\x1b[2F\x1b[Jdone a.flac\n[###] 50%\n'
 */
export function redraw(previous: number, printed: readonly string[], lines: readonly string[]): string {
  const up = previous > 0 ? `\u001b[${previous}F\u001b[J` : '';
  return `${up}${[...printed, ...lines].map((line) => `${line}\n`).join('')}`;
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

/** A progress display writing to `stream`: live (redrawn in place) when it is a terminal. */
export function createProgress(stream: NodeJS.WriteStream): Progress {
  const live = stream.isTTY === true;
  const started = Date.now();
  const inFlight = new Map<string, FileInFlight>();
  let files = 0;
  let totalBytes = 0;
  let done = 0;
  let bytes = 0;
  let sentBytes = 0;
  let drawn = 0;
  let timer: NodeJS.Timeout | undefined;
  const lines = () =>
    timer
      ? renderProgress(
          { done, files, bytes, totalBytes, elapsedMs: Date.now() - started, inFlight: [...inFlight.values()] },
          (stream.columns || 80) - 1,
          Math.max(1, (stream.rows || 24) - 4),
        )
      : [];
  const paint = (printed: string[]) => {
    const next = lines();
    stream.write(redraw(drawn, printed, next));
    drawn = next.length;
  };
  const print = (text: string) => {
    if (live) paint([text]);
    else stream.write(`${text}\n`);
  };
  return {
    line: print,
    start(count, size) {
      files = count;
      totalBytes = size;
      if (live) {
        timer = setInterval(() => paint([]), 200);
        timer.unref();
      } else stream.write(`Uploading ${count} file${count === 1 ? '' : 's'} (${formatBytes(size)})\n`);
    },
    begin(path, size) {
      inFlight.set(path, { name: path.split('/').pop() ?? path, size, bytes: 0, phase: 'uploading' });
    },
    uploaded(path, count, sent = true) {
      bytes += count;
      if (sent) sentBytes += count;
      const file = inFlight.get(path);
      if (file) file.bytes += count;
    },
    processing(path) {
      const file = inFlight.get(path);
      if (file) file.phase = 'processing';
    },
    end(outcome) {
      inFlight.delete(outcome.path);
      done++;
      print(describe(outcome));
    },
    finish() {
      if (timer) clearInterval(timer);
      timer = undefined;
      if (live) paint([]);
    },
    uploadedBytes: () => sentBytes,
  };
}
