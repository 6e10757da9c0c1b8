import { ApiError, createApiClient } from './api/api-client.ts';
import { parseCommand, USAGE, UsageError } from './cli/parse-command.ts';
import { configDirectory, readConfig } from './config/config-store.ts';
import { ingestCommand } from './ingest/ingest-command.ts';
import { exitCodeOf, formatReport } from './ingest/ingest-report.ts';
import { loginCommand } from './login/login-command.ts';
import { dlqCommand } from './ops/dlq-command.ts';

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
  const token = command.global.token ?? (await readConfig(configDir)).servers[command.global.server]?.token;
  if (!token && !command.dryRun) {
    throw new UsageError(`no API token for ${command.global.server}: run "tonearm login" or pass --token`);
  }
  const report = await ingestCommand({
    api: createApiClient(command.global.server, token, {
      onRetry: ({ status, waitSeconds, method, path }) =>
        process.stderr.write(`${method} ${path} answered ${status}; retrying in ${waitSeconds}s\n`),
    }),
    paths: command.paths,
    concurrency: command.concurrency,
    partConcurrency: command.partConcurrency,
    wait: command.wait,
    dryRun: command.dryRun,
    configDir,
    progressStream: command.json ? process.stderr : process.stdout,
  });
  process.stdout.write(command.json ? `${JSON.stringify(report, null, 2)}\n` : formatReport(report));
  return exitCodeOf(report);
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
