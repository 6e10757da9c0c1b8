import { describe, expect, it } from 'vitest';
import { buildReport, exitCodeOf, formatBytes, formatReport, type FileOutcome } from './ingest-report.ts';

const outcomes: FileOutcome[] = [
  { path: '/m/b.flac', outcome: 'ingested', trackId: 't2', status: 'ready', resumed: true },
  { path: '/m/a.flac', outcome: 'ingested', trackId: 't1', status: 'ready', resumed: false },
  { path: '/m/c.mp3', outcome: 'skipped', trackId: 't0', reason: 'already in your library (track t0)' },
  { path: '/m/notes.txt', outcome: 'ignored', reason: 'not audio (unknown content)' },
];

describe('buildReport', () => {
  it('sorts outcomes into lists in path order', () => {
    const sut = buildReport('http://e', false, 2048, outcomes);
    expect(sut.ingested.map((item) => item.path)).toEqual(['/m/a.flac', '/m/b.flac']);
    expect(sut.skipped).toHaveLength(1);
    expect(sut.ignored).toHaveLength(1);
    expect(sut.failed).toEqual([]);
  });
});

describe('exitCodeOf', () => {
  it('is 0 without failures, ignored files and duplicates included', () => {
    expect(exitCodeOf(buildReport('http://e', false, 0, outcomes))).toBe(0);
  });

  it('is 130 when the run was interrupted, failures or not', () => {
    const failed: FileOutcome = { path: '/m/x.flac', outcome: 'failed', trackId: undefined, reason: 'boom' };
    expect(exitCodeOf(buildReport('http://e', false, 0, [...outcomes, failed], ['/m/y.wav']))).toBe(130);
  });

  it('is 1 when any file failed', () => {
    const failed: FileOutcome = { path: '/m/x.flac', outcome: 'failed', trackId: undefined, reason: 'boom' };
    expect(exitCodeOf(buildReport('http://e', false, 0, [...outcomes, failed]))).toBe(1);
  });
});

describe('formatReport', () => {
  it('says which files an interrupted run left and how to resume them', () => {
    const sut = formatReport(buildReport('http://e', false, 0, [], ['/m/z.wav', '/m/y.wav']));
    expect(sut).toBe(
      [
        'Ingested 0, skipped 0 duplicates, failed 0, ignored 0 not audio (0 B uploaded)',
        'Interrupted: 2 files not finished.',
        '  unfinished /m/y.wav',
        '  unfinished /m/z.wav',
        'Run the same command again to resume: parts already sent are not sent again.',
        '',
      ].join('\n'),
    );
  });

  it('summarises and lists every file with its reason', () => {
    const failed: FileOutcome = { path: '/m/x.flac', outcome: 'failed', trackId: 't9', reason: 'truncated' };
    const sut = formatReport(buildReport('http://e', false, 2048, [...outcomes, failed]));
    expect(sut).toBe(
      [
        'Ingested 2, skipped 1 duplicate, failed 1, ignored 1 not audio (2.0 KiB uploaded)',
        '  ingested /m/a.flac -> track t1 (ready)',
        '  ingested /m/b.flac -> track t2 (ready, resumed)',
        '  skipped  /m/c.mp3: already in your library (track t0)',
        '  FAILED   /m/x.flac: truncated',
        '  ignored  /m/notes.txt: not audio (unknown content)',
        '',
      ].join('\n'),
    );
  });

  it('says so when nothing had to be uploaded', () => {
    const sut = formatReport(buildReport('http://e', false, 0, outcomes.slice(2)));
    expect(sut).toContain('Nothing to upload: everything is already there.');
  });

  it('lists what a dry run would upload', () => {
    const tags = { artist: 'Zoë', album: 'Één', title: 'Song', trackNumber: 2 };
    const sut = formatReport(
      buildReport('http://e', true, 0, [{ path: '/m/a.flac', outcome: 'planned', size: 1536, tags }]),
    );
    expect(sut).toBe('Dry run: would upload 1 file\n  would upload /m/a.flac (1.5 KiB): Zoë — Één #2 Song\n');
  });
});

describe('formatBytes', () => {
  it.each([
    [0, '0 B'],
    [1023, '1023 B'],
    [1024, '1.0 KiB'],
    [5 * 1024 ** 2, '5.0 MiB'],
  ])('formats %d as %s', (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });
});
