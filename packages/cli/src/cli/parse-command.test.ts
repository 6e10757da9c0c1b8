import { describe, expect, it } from 'vitest';
import { DEFAULT_SERVER, parseCommand, UsageError } from './parse-command.ts';

describe('parseCommand', () => {
  it('parses ingest with its flags and several folders', () => {
    const sut = parseCommand(['ingest', '--wait', '--json', '--concurrency', '8', 'a', 'b c'], {});
    expect(sut).toEqual({
      name: 'ingest',
      global: { server: DEFAULT_SERVER, token: undefined },
      paths: ['a', 'b c'],
      concurrency: 8,
      partConcurrency: 4,
      wait: true,
      dryRun: false,
      json: true,
      limitRate: undefined,
    });
  });

  it('reads --limit-rate as bytes per second and refuses a rate it cannot read', () => {
    const sut = parseCommand(['ingest', '--limit-rate', '2M', 'a'], {});
    expect(sut).toMatchObject({ name: 'ingest', limitRate: 2 * 1024 ** 2 });
    expect(() => parseCommand(['ingest', '--limit-rate', 'fast', 'a'], {})).toThrow(UsageError);
  });

  it('takes the server and token from the environment', () => {
    const sut = parseCommand(['ingest', 'x'], { TONEARM_SERVER: 'https://music.example/', TONEARM_TOKEN: 'tnat_1' });
    expect(sut.global).toEqual({ server: 'https://music.example', token: 'tnat_1' });
  });

  it('lets flags win over the environment', () => {
    const sut = parseCommand(['--server', 'http://127.0.0.1:9', '--token', 'tnat_2', 'login', '--email', 'a@b.c'], {
      TONEARM_SERVER: 'https://music.example',
      TONEARM_TOKEN: 'tnat_1',
    });
    expect(sut).toEqual({ name: 'login', global: { server: 'http://127.0.0.1:9', token: 'tnat_2' }, email: 'a@b.c' });
  });

  it('answers help without a command or with --help', () => {
    expect(parseCommand([], {}).name).toBe('help');
    expect(parseCommand(['ingest', '--help'], {}).name).toBe('help');
  });

  it.each([
    [['ingest'], 'at least one folder'],
    [['ingest', '--concurrency', '0', 'x'], '--concurrency must be'],
    [['ingest', '--concurrency', 'many', 'x'], '--concurrency must be'],
    [['ingest', '--part-concurrency', '1.5', 'x'], '--part-concurrency must be'],
    [['ingest', '--bogus', 'x'], 'bogus'],
    [['upload', 'x'], 'unknown command "upload"'],
    [['login', 'extra'], 'login takes no arguments'],
    [['--server', 'ftp://x', 'login'], 'http(s) URL'],
    [['--server', 'not a url', 'login'], 'http(s) URL'],
  ])('refuses %j', (argv, message) => {
    expect(() => parseCommand(argv, {})).toThrow(UsageError);
    expect(() => parseCommand(argv, {})).toThrow(message);
  });
});
