import { describeTags, type LocalTags } from './file-scan.ts';

/** What became of one file of an ingest run. */
export type FileOutcome =
  | { path: string; outcome: 'ingested'; trackId: string; status: 'processing' | 'ready'; resumed: boolean }
  | { path: string; outcome: 'skipped'; trackId: string | undefined; reason: string }
  | { path: string; outcome: 'failed'; trackId: string | undefined; reason: string }
  | { path: string; outcome: 'ignored'; reason: string }
  | { path: string; outcome: 'planned'; size: number; tags: LocalTags };

/** The machine-readable report of `tonearm ingest --json`. */
export interface IngestReport {
  server: string;
  dryRun: boolean;
  uploadedBytes: number;
  ingested: Extract<FileOutcome, { outcome: 'ingested' }>[];
  skipped: Extract<FileOutcome, { outcome: 'skipped' }>[];
  failed: Extract<FileOutcome, { outcome: 'failed' }>[];
  ignored: Extract<FileOutcome, { outcome: 'ignored' }>[];
  planned: Extract<FileOutcome, { outcome: 'planned' }>[];
  /** The run was stopped by Ctrl-C; `unfinished` files keep their sessions for the next run. */
  interrupted: boolean;
  unfinished: string[];
}

/**
 * Sorts outcomes into the report's lists, each in path order.
 *
 * @example
 * buildReport('http://e', false, 0, outcomes).failed.length // files that failed
 */
export function buildReport(
  server: string,
  dryRun: boolean,
  uploadedBytes: number,
  outcomes: readonly FileOutcome[],
  unfinished: readonly string[] = [],
): IngestReport {
  const sorted = [...outcomes].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const pick = <K extends FileOutcome['outcome']>(kind: K) =>
    sorted.filter((item): item is Extract<FileOutcome, { outcome: K }> => item.outcome === kind);
  return {
    server,
    dryRun,
    uploadedBytes,
    ingested: pick('ingested'),
    skipped: pick('skipped'),
    failed: pick('failed'),
    ignored: pick('ignored'),
    planned: pick('planned'),
    interrupted: unfinished.length > 0,
    unfinished: [...unfinished].sort(),
  };
}

/** `130` when the run was interrupted, `1` when any file failed, else `0`. */
export function exitCodeOf(report: IngestReport): number {
  if (report.interrupted) return 130;
  return report.failed.length > 0 ? 1 : 0;
}

/** A byte count for people: `1.5 MiB`. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${units[unit]}`;
}

/**
 * The report for people: a summary line, then one line per file that was not simply ingested.
 *
 * @example
 * formatReport(report) // 'Ingested 3, skipped 1 duplicate, failed 0, ignored 1 not audio (2.0 MiB uploaded)\n...'
 */
export function formatReport(report: IngestReport): string {
  const lines: string[] = [];
  if (report.dryRun) {
    lines.push(`Dry run: would upload ${report.planned.length} file${report.planned.length === 1 ? '' : 's'}`);
    for (const item of report.planned) {
      lines.push(`  would upload ${item.path} (${formatBytes(item.size)}): ${describeTags(item.tags)}`);
    }
  } else {
    lines.push(
      `Ingested ${report.ingested.length}, skipped ${report.skipped.length} duplicate${report.skipped.length === 1 ? '' : 's'}, ` +
        `failed ${report.failed.length}, ignored ${report.ignored.length} not audio (${formatBytes(report.uploadedBytes)} uploaded)`,
    );
    if (report.ingested.length === 0 && report.failed.length === 0 && !report.interrupted)
      lines.push('Nothing to upload: everything is already there.');
    for (const item of report.ingested) {
      lines.push(`  ingested ${item.path} -> track ${item.trackId} (${item.status}${item.resumed ? ', resumed' : ''})`);
    }
  }
  for (const item of report.skipped) lines.push(`  skipped  ${item.path}: ${item.reason}`);
  for (const item of report.failed) lines.push(`  FAILED   ${item.path}: ${item.reason}`);
  for (const item of report.ignored) lines.push(`  ignored  ${item.path}: ${item.reason}`);
  if (report.interrupted) {
    lines.push(
      `Interrupted: ${report.unfinished.length} file${report.unfinished.length === 1 ? '' : 's'} not finished.`,
    );
    for (const path of report.unfinished) lines.push(`  unfinished ${path}`);
    lines.push('Run the same command again to resume: parts already sent are not sent again.');
  }
  return `${lines.join('\n')}\n`;
}
