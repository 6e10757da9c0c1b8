import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';

const configSchema = z.object({
  servers: z.record(z.string(), z.object({ token: z.string(), email: z.string().optional() })).default({}),
});

/** What `tonearm login` keeps: one API token per server. */
export type CliConfig = z.infer<typeof configSchema>;

/**
 * The folder of the tool's files: `$XDG_CONFIG_HOME/tonearm`, else `~/.config/tonearm`.
 *
 * @example
 * configDirectory({ XDG_CONFIG_HOME: '/x' }) // '/x/tonearm'
 */
export function configDirectory(env: Record<string, string | undefined>): string {
  const base = env.XDG_CONFIG_HOME || join(env.HOME || homedir(), '.config');
  return join(base, 'tonearm');
}

/** Writes a file only its owner may read (0600) in a folder only its owner may open (0700), atomically. */
export async function writePrivateFile(path: string, directory: string, content: string): Promise<void> {
  await mkdir(directory, { recursive: true, mode: 0o700 });
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, content, { mode: 0o600 });
  await chmod(temporary, 0o600);
  await rename(temporary, path);
}

/** Reads the config file of `directory`; a missing file is an empty config. */
export async function readConfig(directory: string): Promise<CliConfig> {
  try {
    return configSchema.parse(JSON.parse(await readFile(join(directory, 'config.json'), 'utf8')));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { servers: {} };
    throw new Error(`cannot read ${join(directory, 'config.json')}: ${(error as Error).message}`, { cause: error });
  }
}

/** Stores the API token for `server` in `directory/config.json` with mode 0600. */
export async function saveToken(directory: string, server: string, token: string, email?: string): Promise<string> {
  const config = await readConfig(directory);
  config.servers[server] = { token, ...(email ? { email } : {}) };
  const path = join(directory, 'config.json');
  await writePrivateFile(path, directory, `${JSON.stringify(config, null, 2)}\n`);
  return path;
}
