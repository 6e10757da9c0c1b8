import { createInterface } from 'node:readline/promises';
import { text } from 'node:stream/consumers';
import { hostname } from 'node:os';
import type { CreateApiTokenResponse, LoginResponse } from '@tonearm/contracts';
import { createApiClient } from '../api/api-client.ts';
import { saveToken } from '../config/config-store.ts';

/** Reads a line from the terminal without echoing it. */
async function readHidden(prompt: string): Promise<string> {
  const input = process.stdin;
  process.stderr.write(prompt);
  input.setRawMode(true);
  input.resume();
  input.setEncoding('utf8');
  return new Promise((resolve, reject) => {
    let value = '';
    const onData = (chunk: string) => {
      for (const char of chunk) {
        if (char === '\r' || char === '\n') {
          input.off('data', onData);
          input.setRawMode(false);
          input.pause();
          process.stderr.write('\n');
          resolve(value);
          return;
        }
        if (char === '\u0003') {
          input.setRawMode(false);
          reject(new Error('interrupted'));
          return;
        }
        value = char === '\u007f' ? value.slice(0, -1) : value + char;
      }
    };
    input.on('data', onData);
  });
}

/**
 * Signs in, creates an API token with scopes `ingest` and `read` and stores it for the server in
 * the config dir (0600). The password comes from the terminal, or from stdin when it is not one.
 */
export async function loginCommand(options: { server: string; email: string | undefined; configDir: string }) {
  const tty = process.stdin.isTTY === true;
  let email = options.email;
  let password: string;
  if (tty) {
    if (!email) {
      const rl = createInterface({ input: process.stdin, output: process.stderr });
      email = (await rl.question('Email: ')).trim();
      rl.close();
    }
    password = await readHidden('Password: ');
  } else {
    if (!email) throw new Error('--email is needed when the password comes from stdin');
    password = (await text(process.stdin)).replace(/\r?\n$/, '');
  }
  const api = createApiClient(options.server);
  const session = await api.request<LoginResponse>('POST', '/api/auth/login', { body: { email, password } });
  const created = await api.request<CreateApiTokenResponse>('POST', '/api/tokens', {
    token: session.accessToken,
    body: { name: `tonearm cli on ${hostname()}`.slice(0, 100), scopes: ['ingest', 'read'] },
  });
  await api.request('POST', '/api/auth/logout', { token: session.accessToken }).catch(() => undefined);
  const path = await saveToken(options.configDir, options.server, created.token, session.user.email);
  process.stderr.write(`Logged in to ${options.server} as ${session.user.email}; API token stored in ${path}\n`);
}
