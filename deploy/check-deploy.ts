import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serviceNames, type ServiceName } from '@tonearm/contracts';
import { defaultOpsPorts } from '@tonearm/service-host';
import { parse } from 'yaml';
import { checkDashboard, checkPrometheus, definedMetricNames } from './monitoring-checks.ts';

/**
 * What can be checked of the deployment without a Docker engine: the one app Dockerfile builds
 * with the commands CI runs and ends as a non-root image with a health check, docker-compose.yml
 * builds every app from it with that app's args and runs it behind health-gated dependencies, and
 * `nginx -t` accepts deploy/nginx.conf.
 * Run from the repository root: `node deploy/check-deploy.ts` (exit 1 naming every problem).
 * It first proves each check fails on a broken copy of the real files (`selfTest`).
 */

const root = fileURLToPath(new URL('..', import.meta.url));
const baseImage = 'node:24-bookworm-slim';
const mediaApps: readonly ServiceName[] = ['ingest', 'transcoder'];
/** The one Dockerfile every app's image is built from, relative to the repository root. */
export const appDockerfile = 'deploy/app.Dockerfile';
/** The build args of `deploy/app.Dockerfile`: every app's service in docker-compose.yml passes all of them. */
export const appBuildArgNames = ['APP', 'OPS_PORT', 'MEDIA_TOOLS', 'START_COMMAND'] as const;
/** One app's values of `appBuildArgNames`. */
export type AppBuildArgs = Record<(typeof appBuildArgNames)[number], string>;

/** One instruction of a Dockerfile, continuation lines joined. */
export interface DockerInstruction {
  keyword: string;
  args: string;
}

/** One `FROM` and the instructions up to the next: its image, its name (`AS`), and its instructions after `FROM`. */
interface DockerStage {
  image: string;
  name: string;
  instructions: DockerInstruction[];
}

/**
 * Splits a Dockerfile into instructions, joining `\` continuations and dropping comments.
 *
 * @example
 * parseDockerfile('FROM node:24-bookworm-slim\nRUN npm ci'); // [{keyword: 'FROM', ...}, {keyword: 'RUN', args: 'npm ci'}]
 */
export function parseDockerfile(text: string): DockerInstruction[] {
  const instructions: DockerInstruction[] = [];
  let pending = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!pending && (line === '' || line.startsWith('#'))) continue;
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1).trim()} `;
      continue;
    }
    const whole = (pending + line).trim();
    pending = '';
    const [keyword = '', ...rest] = whole.split(/\s+/);
    instructions.push({ keyword: keyword.toUpperCase(), args: rest.join(' ') });
  }
  return instructions;
}

function stagesOf(instructions: readonly DockerInstruction[]): DockerStage[] {
  const stages: DockerStage[] = [];
  for (const instruction of instructions) {
    if (instruction.keyword === 'FROM') {
      const [image = '', as, name = ''] = instruction.args.split(/\s+/);
      stages.push({ image, name: as?.toUpperCase() === 'AS' ? name : '', instructions: [] });
    } else {
      stages.at(-1)?.instructions.push(instruction);
    }
  }
  return stages;
}

/**
 * The command of the `npm ci` step in `.ci/run`: the install every image must run too.
 *
 * @example
 * ciInstallCommand('step "npm ci" npm ci --no-audit --no-fund'); // 'npm ci --no-audit --no-fund'
 */
export function ciInstallCommand(ciScript: string): string {
  const match = /^step "npm ci" (.+)$/m.exec(ciScript);
  if (!match?.[1]) throw new Error('.ci/run has no `step "npm ci"` line');
  return match[1].trim();
}

/**
 * The build args docker-compose.yml must pass for one app: its ops port, whether it needs
 * ffmpeg, and its package.json `start` script without the leading `exec` (the image's CMD execs it).
 *
 * @example
 * appBuildArgs('edge', 9105, { start: 'exec node src/main.ts' }); // { APP: 'edge', OPS_PORT: '9105', MEDIA_TOOLS: 'false', START_COMMAND: 'node src/main.ts' }
 */
export function appBuildArgs(app: ServiceName, opsPort: number, scripts: Record<string, string> = {}): AppBuildArgs {
  return {
    APP: app,
    OPS_PORT: String(opsPort),
    MEDIA_TOOLS: String(mediaApps.includes(app)),
    START_COMMAND: (scripts.start ?? '').replace(/^exec\s+/, ''),
  };
}

/**
 * Problems of `deploy/app.Dockerfile`: base image, build commands other than CI's, the `npm ci`
 * layer shared by every app, the build args, user, health check, CMD, media tools.
 *
 * @example
 * checkDockerfile(text, 'npm ci --no-audit --no-fund'); // []
 */
export function checkDockerfile(text: string, installCommand: string): string[] {
  const where = appDockerfile;
  if (!text.trim()) return [`${where}: missing or empty`];
  const problems: string[] = [];
  const instructions = parseDockerfile(text);
  const stages = stagesOf(instructions);
  const stageNames = new Set(stages.map((stage) => stage.name).filter(Boolean));
  for (const { image } of stages) {
    // The runtime's base is picked by MEDIA_TOOLS: both of its values must name a stage.
    const images = ['true', 'false'].map((value) => image.replaceAll('${MEDIA_TOOLS}', value));
    if (image !== baseImage && !images.every((name) => stageNames.has(name))) {
      problems.push(`${where}: FROM ${image}, expected ${baseImage} or a stage`);
    }
  }
  if (stages.length < 2) problems.push(`${where}: not multi-stage`);
  const buildCommand = 'npx nx run-many -t build -p @tonearm/${APP}';
  const runs = instructions.filter((entry) => entry.keyword === 'RUN').map((entry) => entry.args);
  for (const run of runs) {
    const isSetup = run.startsWith('apt-get ') || run.startsWith('cd /src && find ');
    const isCi = run === installCommand || run === buildCommand || run.startsWith('npm prune --omit=dev');
    if (!isSetup && !isCi) problems.push(`${where}: RUN ${run} is not a command CI runs`);
  }
  if (!runs.includes(installCommand)) problems.push(`${where}: never runs ${installCommand}`);
  if (!runs.includes(buildCommand)) problems.push(`${where}: never runs ${buildCommand}`);
  // An ARG before the install would key the npm ci layer on it: one install per app instead of one for all.
  const installing =
    stages.find((stage) => stage.instructions.some((entry) => entry.args === installCommand))?.instructions ?? [];
  const installAt = installing.findIndex((entry) => entry.args === installCommand);
  const argBeforeInstall = installing.slice(0, Math.max(installAt, 0)).find((entry) => entry.keyword === 'ARG');
  if (argBeforeInstall) {
    problems.push(
      `${where}: ARG ${argBeforeInstall.args} before ${installCommand} gives every app its own npm ci layer`,
    );
  }
  const declared = new Set(
    instructions.filter((entry) => entry.keyword === 'ARG').map((entry) => entry.args.split('=')[0]),
  );
  for (const name of appBuildArgNames) {
    if (!declared.has(name)) problems.push(`${where}: no ARG ${name} (compose passes it)`);
  }
  const last = stages.at(-1)?.instructions ?? [];
  const user = last.filter((entry) => entry.keyword === 'USER').at(-1)?.args;
  if (!user || user === 'root' || user === '0') problems.push(`${where}: the final image runs as root`);
  const env = last.filter((entry) => entry.keyword === 'ENV').map((entry) => entry.args);
  const health = last.find((entry) => entry.keyword === 'HEALTHCHECK')?.args ?? '';
  const opsPortFromArg = env.some((args) => /(^|\s)OPS_PORT=\$\{OPS_PORT(:\?)?\}/.test(args));
  if (!health.includes('/healthz') || !health.includes('process.env.OPS_PORT') || !opsPortFromArg) {
    problems.push(`${where}: no HEALTHCHECK on /healthz of OPS_PORT (set from the OPS_PORT build arg)`);
  }
  const workdir = last.filter((entry) => entry.keyword === 'WORKDIR').at(-1)?.args ?? '';
  if (!/^\/app\/apps\/\$\{APP(:\?)?\}$/.test(workdir)) problems.push(`${where}: the final WORKDIR is not apps/\${APP}`);
  const command = last.filter((entry) => entry.keyword === 'CMD').at(-1)?.args ?? '';
  const startFromArg = env.some((args) => /(^|\s)START_COMMAND=\$\{START_COMMAND(:\?)?\}/.test(args));
  if (!command.includes('"exec $START_COMMAND"') || !startFromArg) {
    problems.push(`${where}: CMD does not exec START_COMMAND (set from the START_COMMAND build arg)`);
  }
  if (stages.at(-1)?.image !== 'media-tools-${MEDIA_TOOLS}') {
    problems.push(`${where}: the final stage is not FROM media-tools-\${MEDIA_TOOLS}`);
  }
  const media = stages.find((stage) => stage.name === 'media-tools-true')?.instructions ?? [];
  const installsFfmpeg = media.some(
    (entry) => entry.keyword === 'RUN' && /apt-get install .*\bffmpeg\b/.test(entry.args),
  );
  const pointsAtTools = media.some(
    (entry) => entry.keyword === 'ENV' && entry.args.includes('FFMPEG_PATH=') && entry.args.includes('FFPROBE_PATH='),
  );
  if (!installsFfmpeg || !pointsAtTools) {
    problems.push(`${where}: ffmpeg is not installed (with FFMPEG_PATH, FFPROBE_PATH) in the media-tools-true stage`);
  }
  return problems;
}

interface ComposeService {
  build?: { context?: string; dockerfile?: string; args?: Record<string, string> | string[] };
  image?: string;
  command?: string[];
  ports?: string[];
  volumes?: string[];
  env_file?: Array<string | { path: string }>;
  environment?: Record<string, string>;
  network_mode?: string;
  depends_on?: Record<string, { condition?: string }> | string[];
  deploy?: { replicas?: number };
}

/** Compose's build args as a record, whether written as a mapping or as a list of `NAME=value`. */
function buildArgsOf(service: ComposeService): Record<string, string> {
  const args = service.build?.args ?? {};
  if (!Array.isArray(args))
    return Object.fromEntries(Object.entries(args).map(([name, value]) => [name, String(value)]));
  return Object.fromEntries(args.map((entry) => [entry.split('=')[0], entry.slice(entry.indexOf('=') + 1)]));
}

/**
 * Problems of docker-compose.yml (already parsed, merge keys applied): backing services, one
 * service per app built from `deploy/app.Dockerfile` with the app's build args, its ops port and
 * `.env.example`, health-gated dependencies, two transcoders and NGINX publishing the one public port.
 *
 * @example
 * checkCompose(parse(text, { merge: true }), { edge: appBuildArgs('edge', 9105, edgeScripts), ... }); // []
 */
export function checkCompose(document: unknown, buildArgs: Readonly<Record<ServiceName, AppBuildArgs>>): string[] {
  const apps = Object.keys(buildArgs) as ServiceName[];
  const problems: string[] = [];
  const services = ((document as { services?: Record<string, ComposeService> })?.services ?? {}) as Record<
    string,
    ComposeService
  >;
  for (const backing of ['nats', 'postgres', 'redis', 'minio', 'minio-init', 'nginx']) {
    if (!services[backing]) problems.push(`docker-compose.yml: no ${backing} service`);
  }
  const nats = services.nats;
  if (nats && !(nats.command?.includes('-js') && nats.volumes?.some((volume) => volume.endsWith(':/data')))) {
    problems.push('docker-compose.yml: nats runs without JetStream on a volume');
  }
  for (const app of apps) {
    const service = services[app];
    if (!service) {
      problems.push(`docker-compose.yml: no ${app} service`);
      continue;
    }
    if (service.build?.dockerfile !== appDockerfile || service.build.context !== '.') {
      problems.push(`docker-compose.yml: ${app} is not built from ${appDockerfile} in the repository root`);
    }
    const args = buildArgsOf(service);
    for (const [name, value] of Object.entries(buildArgs[app])) {
      if (args[name] !== value) {
        problems.push(`docker-compose.yml: ${app} has build arg ${name}=${args[name] ?? '(none)'}, expected ${value}`);
      }
    }
    if (service.environment?.OPS_PORT !== String(defaultOpsPorts[app])) {
      problems.push(
        `docker-compose.yml: ${app} has OPS_PORT ${service.environment?.OPS_PORT}, not ${defaultOpsPorts[app]}`,
      );
    }
    const envFiles = (service.env_file ?? []).map((entry) => (typeof entry === 'string' ? entry : entry.path));
    if (!envFiles.includes('.env.example')) problems.push(`docker-compose.yml: ${app} does not read .env.example`);
  }
  for (const [name, service] of Object.entries(services)) {
    const dependencies = service.depends_on ?? {};
    if (Array.isArray(dependencies)) {
      if (dependencies.length > 0) problems.push(`docker-compose.yml: ${name} depends on services without a condition`);
      continue;
    }
    for (const [dependency, rule] of Object.entries(dependencies)) {
      const sharesNetwork = service.network_mode === `service:${dependency}`;
      const gated = ['service_healthy', 'service_completed_successfully'].includes(rule?.condition ?? '');
      if (!gated && !sharesNetwork) {
        problems.push(`docker-compose.yml: ${name} starts before ${dependency} is healthy (${rule?.condition})`);
      }
    }
  }
  if ((services.transcoder?.deploy?.replicas ?? 1) < 2) problems.push('docker-compose.yml: fewer than two transcoders');
  const nginx = services.nginx;
  if (nginx && !nginx.volumes?.some((volume) => volume.startsWith('./deploy/nginx.conf:'))) {
    problems.push('docker-compose.yml: nginx does not use deploy/nginx.conf');
  }
  const published = Object.entries(services).filter(([, service]) =>
    service.ports?.some((port) => !port.startsWith('127.0.0.1:')),
  );
  if (published.map(([name]) => name).join() !== 'nginx') {
    problems.push(
      `docker-compose.yml: public ports on ${published.map(([name]) => name).join(', ') || 'nothing'}, expected nginx only`,
    );
  }
  return problems;
}

/** The slice of Ajv (6 or 8) used here. */
interface SchemaValidator {
  (data: unknown): boolean;
  errors?: Array<{ dataPath?: string; instancePath?: string; message?: string }> | null;
}

/**
 * Validates docker-compose.yml against the Compose Specification's JSON schema, what
 * `docker compose config` checks first (CI has no compose plugin). The schema and Ajv come with
 * the lockfile (testcontainers' `docker-compose` package and eslint's `ajv`).
 *
 * @example
 * validateComposeSpec(parse(text, { merge: true })); // []
 */
export function validateComposeSpec(document: unknown): string[] {
  const require = createRequire(import.meta.url);
  const schemaPath = join(root, 'node_modules/docker-compose/schema/compose-spec.json');
  if (!existsSync(schemaPath)) return [`docker-compose.yml: no Compose Specification schema at ${schemaPath}`];
  const loaded = require('ajv') as { default?: unknown };
  const Ajv = (loaded.default ?? loaded) as new (options: object) => { compile(schema: unknown): SchemaValidator };
  const validate = new Ajv({ allErrors: true, validateSchema: false, strict: false }).compile(
    JSON.parse(readFileSync(schemaPath, 'utf8')),
  );
  if (validate(document)) return [];
  return (validate.errors ?? []).map(
    (error) => `docker-compose.yml: ${error.instancePath ?? error.dataPath ?? ''} ${error.message ?? 'is invalid'}`,
  );
}

/**
 * Runs `nginx -t` on a copy of the config whose cache and pid paths point into a temporary
 * directory (the container's /var/cache/nginx does not exist here); upstream names are resolved
 * at request time, so `edge` need not resolve. Returns nginx's complaint, or nothing.
 *
 * @example
 * testNginxConfig(readFileSync('deploy/nginx.conf', 'utf8')); // []
 */
export function testNginxConfig(config: string, nginx = process.env.NGINX_BIN ?? 'nginx'): string[] {
  const directory = mkdtempSync(join(tmpdir(), 'tonearm-nginx-'));
  try {
    mkdirSync(join(directory, 'cache'));
    const file = join(directory, 'nginx.conf');
    writeFileSync(
      file,
      config
        .replaceAll('/var/cache/nginx/', `${directory}/cache/`)
        .replaceAll('/tmp/nginx.pid', `${directory}/nginx.pid`),
    );
    execFileSync(nginx, ['-t', '-q', '-e', 'stderr', '-p', directory, '-c', file], { stdio: 'pipe' });
    return [];
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim();
    return [`deploy/nginx.conf: nginx -t failed: ${stderr || (error as Error).message}`];
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

/**
 * The Dockerfile's manifests stage copies `package.json` files at most two folders deep
 * (`find -maxdepth 3`): every workspace pattern must be `<folder>/*`.
 *
 * @example
 * checkWorkspaces(['packages/*', 'apps/*']); // []
 */
export function checkWorkspaces(patterns: readonly string[]): string[] {
  return patterns
    .filter((pattern) => !/^[\w.-]+\/\*$/.test(pattern))
    .map((pattern) => `package.json: workspace "${pattern}" is deeper than ${appDockerfile}'s manifests stage copies`);
}

/** The repository's files, read once. */
interface DeployFiles {
  dockerfile: string;
  installCommand: string;
  buildArgs: Record<ServiceName, AppBuildArgs>;
  compose: unknown;
  nginx: string;
  workspaces: string[];
  dashboard: unknown;
  prometheus: unknown;
  metrics: Set<string>;
}

function readDeployFiles(): DeployFiles {
  const dockerfilePath = join(root, appDockerfile);
  const buildArgs = {} as Record<ServiceName, AppBuildArgs>;
  for (const app of serviceNames) {
    const manifest = JSON.parse(readFileSync(join(root, 'apps', app, 'package.json'), 'utf8')) as {
      scripts?: Record<string, string>;
    };
    buildArgs[app] = appBuildArgs(app, defaultOpsPorts[app], manifest.scripts);
  }
  return {
    dockerfile: existsSync(dockerfilePath) ? readFileSync(dockerfilePath, 'utf8') : '',
    installCommand: ciInstallCommand(readFileSync(join(root, '.ci/run'), 'utf8')),
    buildArgs,
    compose: parse(readFileSync(join(root, 'docker-compose.yml'), 'utf8'), { merge: true }),
    nginx: readFileSync(join(root, 'deploy/nginx.conf'), 'utf8'),
    workspaces: (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { workspaces: string[] }).workspaces,
    dashboard: JSON.parse(readFileSync(join(root, 'deploy/grafana/tonearm-dashboard.json'), 'utf8')),
    prometheus: parse(readFileSync(join(root, 'deploy/prometheus.yml'), 'utf8')),
    metrics: definedMetricNames([join(root, 'apps'), join(root, 'packages')]),
  };
}

/** Every problem of the deployment files. */
function checkAll(files: DeployFiles): string[] {
  return [
    ...checkDockerfile(files.dockerfile, files.installCommand),
    ...checkWorkspaces(files.workspaces),
    ...validateComposeSpec(files.compose),
    ...checkCompose(files.compose, files.buildArgs),
    ...testNginxConfig(files.nginx),
    ...checkDashboard(files.dashboard, files.metrics),
    ...checkPrometheus(files.prometheus, defaultOpsPorts),
  ];
}

/**
 * Proves each check can fail: breaks one thing at a time in a copy of the real files and
 * expects a problem naming it. Returns the breakages that went unnoticed.
 */
export function selfTest(files: DeployFiles): string[] {
  const compose = () => structuredClone(files.compose) as { services: Record<string, ComposeService> };
  const brokenCompose = (breakIt: (services: Record<string, ComposeService>) => void) => {
    const doc = compose();
    breakIt(doc.services);
    return checkCompose(doc, files.buildArgs);
  };
  const withArgs = (app: ServiceName, args: Record<string, string> | string[]) =>
    brokenCompose((services) => {
      services[app]!.build = { ...services[app]!.build, args };
    });
  const dockerfile = (broken: string) => checkDockerfile(broken, files.installCommand);
  const { dockerfile: text, installCommand } = files;
  const cases: Array<[string, () => string[], string]> = [
    ['an unknown build command', () => dockerfile(`${text}\nRUN npm run build:fast`), 'not a command CI runs'],
    ['another install', () => dockerfile(text.replace(installCommand, 'npm install')), 'npm install'],
    ['a missing build', () => dockerfile(text.replace(/^RUN npx nx run-many .*$/m, '')), 'never runs npx nx'],
    [
      'an app-specific npm ci layer',
      () =>
        dockerfile(text.replace(/^ARG APP$/m, '').replace(`RUN ${installCommand}`, `ARG APP\nRUN ${installCommand}`)),
      'its own npm ci layer',
    ],
    ['an undeclared build arg', () => dockerfile(text.replace(/^ARG START_COMMAND$/m, '')), 'no ARG START_COMMAND'],
    ['a root image', () => dockerfile(text.replace(/^USER .*$/m, 'USER root')), 'as root'],
    ['another base', () => dockerfile(text.replace(baseImage, 'node:22')), 'FROM node:22'],
    ['a fixed health port', () => dockerfile(text.replace(`+ process.env.OPS_PORT +`, `+ 9999 +`)), 'HEALTHCHECK'],
    ['npm as PID 1', () => dockerfile(text.replace('exec $START_COMMAND', 'exec npm start')), 'CMD does not exec'],
    ['no ffmpeg', () => dockerfile(text.replace(/ffmpeg &&/, '&&')), 'ffmpeg'],
    ['ffmpeg everywhere', () => dockerfile(text.replace('media-tools-${MEDIA_TOOLS} AS', 'base AS')), 'media-tools'],
    [
      'a missing app',
      () =>
        brokenCompose((services) => {
          delete services.catalog;
        }),
      'no catalog service',
    ],
    [
      'an app built from its own Dockerfile',
      () =>
        brokenCompose((services) => {
          services.edge!.build = { context: '.', dockerfile: 'apps/edge/Dockerfile' };
        }),
      `edge is not built from ${appDockerfile}`,
    ],
    [
      'a start command other than the package.json script',
      () => withArgs('edge', { ...files.buildArgs.edge, START_COMMAND: 'node src/main.ts' }),
      'edge has build arg START_COMMAND=node src/main.ts',
    ],
    [
      'an ingest without media tools (args as a list)',
      () =>
        withArgs(
          'ingest',
          Object.entries({ ...files.buildArgs.ingest, MEDIA_TOOLS: 'false' }).map(
            ([name, value]) => `${name}=${value}`,
          ),
        ),
      'ingest has build arg MEDIA_TOOLS=false',
    ],
    [
      'a wrong ops port arg',
      () => withArgs('catalog', { ...files.buildArgs.catalog, OPS_PORT: '9999' }),
      'catalog has build arg OPS_PORT=9999',
    ],
    [
      'an ungated start',
      () =>
        brokenCompose((services) => {
          services.nginx!.depends_on = { edge: { condition: 'service_started' } };
        }),
      'before edge is healthy',
    ],
    [
      'one transcoder',
      () =>
        brokenCompose((services) => {
          delete services.transcoder!.deploy;
        }),
      'two transcoders',
    ],
    [
      'a published app port',
      () =>
        brokenCompose((services) => {
          services.edge!.ports = ['8081:8080'];
        }),
      'expected nginx only',
    ],
    ['a nested workspace', () => checkWorkspaces([...files.workspaces, 'tools/*/plugins/*']), 'tools/*/plugins/*'],
    [
      'a misspelt compose key',
      () => validateComposeSpec({ ...compose(), services: { edge: { buidl: {} } } }),
      'additional properties',
    ],
    [
      'a dashboard panel on an unknown metric',
      () => {
        const dashboard = structuredClone(files.dashboard) as { panels: { targets: { expr: string }[] }[] };
        dashboard.panels[0]!.targets[0]!.expr = 'sum(rate(bus_events_publishd_total[1m]))';
        return checkDashboard(dashboard, files.metrics);
      },
      'bus_events_publishd_total',
    ],
    [
      'an unscraped service',
      () => {
        const prometheus = structuredClone(files.prometheus) as { scrape_configs: { job_name: string }[] };
        prometheus.scrape_configs = prometheus.scrape_configs.filter((job) => job.job_name !== 'catalog');
        return checkPrometheus(prometheus, defaultOpsPorts);
      },
      'nothing scrapes catalog',
    ],
    [
      'a broken nginx config',
      () => testNginxConfig(files.nginx.replace('proxy_buffering off;', 'proxy_buffering maybe;')),
      'nginx -t failed',
    ],
  ];
  return cases
    .filter(([, run, expected]) => !run().some((problem) => problem.includes(expected)))
    .map(([name]) => `self test: ${name} went unnoticed`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const files = readDeployFiles();
  const problems = [...selfTest(files), ...checkAll(files)];
  if (problems.length > 0) {
    console.error(problems.join('\n'));
    process.exit(1);
  }
  process.stdout.write(
    `deploy checks passed: ${appDockerfile} for ${serviceNames.length} apps, docker-compose.yml, nginx -t\n`,
  );
}
