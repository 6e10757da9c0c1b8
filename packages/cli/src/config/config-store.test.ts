import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { configDirectory, readConfig, saveToken } from './config-store.ts';

describe('configDirectory', () => {
  it('prefers XDG_CONFIG_HOME', () => {
    expect(configDirectory({ XDG_CONFIG_HOME: '/x', HOME: '/h' })).toBe('/x/tonearm');
  });

  it('falls back to ~/.config', () => {
    expect(configDirectory({ HOME: '/h' })).toBe('/h/.config/tonearm');
  });
});

describe('saveToken', () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('stores one token per server in a 0600 file', async () => {
    dir = await mkdtemp(join(tmpdir(), 'cli-config-'));
    const configDir = join(dir, 'tonearm');
    const path = await saveToken(configDir, 'http://a', 'tnat_a', 'a@example.org');
    await saveToken(configDir, 'http://b', 'tnat_b');
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect((await stat(configDir)).mode & 0o777).toBe(0o700);
    expect(await readConfig(configDir)).toEqual({
      servers: { 'http://a': { token: 'tnat_a', email: 'a@example.org' }, 'http://b': { token: 'tnat_b' } },
    });
  });

  it('reads a missing config as empty and refuses a corrupt one', async () => {
    dir = await mkdtemp(join(tmpdir(), 'cli-config-'));
    expect(await readConfig(join(dir, 'none'))).toEqual({ servers: {} });
    await writeFile(join(dir, 'config.json'), '{not json');
    await expect(readConfig(dir)).rejects.toThrow('cannot read');
  });
});
