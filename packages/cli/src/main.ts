import { ApiError } from './api/api-client.ts';
import { parseCommand, USAGE, UsageError } from './cli/parse-command.ts';
import { configDirectory } from './config/config-store.ts';
import { runIngest } from './ingest/run-ingest.ts';
import { loginCommand } from './login/login-command.ts';
import { dlqCommand } from './ops/dlq-command.ts';
import { eventsTailCommand } from './ops/events-command.ts';
import { statusCommand } from './ops/status-command.ts';

async function main(): Promise<number> {
  const command = parseCommand(process.argv.slice(2), process.env);
  const configDir = configDirectory(process.env);
  if (command.name === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (command.name === 'login') {
    await loginCommand({ server: command.global.server, email: command.email, configDir });
    return 0;
  }
  if (command.name === 'dlq') {
    process.stdout.write(await dlqCommand(command));
    return 0;
  }
  if (command.name === 'status') {
    process.stdout.write(await statusCommand(command));
    return 0;
  }
  if (command.name === 'events') {
    const stop = new AbortController();
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => stop.abort());
    const out = {
      write: (line: string) => process.stdout.write(line),
      status: (line: string) => process.stderr.write(line),
    };
    await eventsTailCommand(command, out, stop.signal);
    return 0;
  }
  return runIngest(command, configDir);
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof UsageError) console.error(`tonearm: ${error.message}\n\n${USAGE}`);
    else if (error instanceof ApiError) console.error(`tonearm: ${error.message} (${error.status} ${error.code})`);
    else console.error(`tonearm: ${(error as Error).message ?? String(error)}`);
    process.exitCode = error instanceof UsageError ? 2 : 1;
  },
);
