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
 * What can be checked of the deployment without a Docker engine: every app's Dockerfile builds
 * with the commands CI runs and ends as a non-root image with a health check, docker-compose.yml
 * runs every app behind health-gated dependencies, and `nginx -t` accepts deploy/nginx.conf.
 * Run from the repository root: `node deploy/check-deploy.ts` (exit 1 naming every problem).
 * It first proves each check fails on a broken copy of the real files (`selfTest`).
 */

const root = fileURLToPath(new URL('..', import.meta.url));
const baseImage = 'node:24-bookworm-slim';
const mediaApps: readonly ServiceName[] = ['ingest', 'transcoder'];

/** One instruction of a Dockerfile, continuation lines joined. */
export interface DockerInstruction {
  keyword: string;
  args: string;
}

/** What a Dockerfile is checked against: the app, its ops port, whether it has a build script, CI's install command. */
export interface DockerfileExpectations {
  app: ServiceName;
  opsPort: number;
  builds: boolean;
  installCommand: string;
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
 * Problems of one app's Dockerfile: base image, build commands other than CI's, user, health check, media tools.
 *
 * @example
 * checkDockerfile(text, { app: 'edge', opsPort: 9105, builds: false, installCommand: 'npm ci --no-audit --no-fund' }); // []
 */
export function checkDockerfile(text: string, expected: DockerfileExpectations): string[] {
  const where = `apps/${expected.app}/Dockerfile`;
  const problems: string[] = [];
  const instructions = parseDockerfile(text);
  const stages = instructions.filter((entry) => entry.keyword === 'FROM');
  const stageNames = new Set(stages.map((stage) => /\sAS\s+(\S+)/i.exec(stage.args)?.[1]).filter(Boolean));
  for (const stage of stages) {
    const image = stage.args.split(/\s+/)[0] ?? '';
    if (image !== baseImage && !stageNames.has(image)) problems.push(`${where}: FROM ${image}, expected ${baseImage}`);
  }
  if (stages.length < 2) problems.push(`${where}: not multi-stage`);
  const buildCommand = `npx nx run @tonearm/${expected.app}:build`;
  const runs = instructions.filter((entry) => entry.keyword === 'RUN').map((entry) => entry.args);
  for (const run of runs) {
    const isSetup = run.startsWith('apt-get ') || run.startsWith('cd /src && find ');
    const isCi =
      run === expected.installCommand ||
      (expected.builds && run === buildCommand) ||
      run.startsWith('npm prune --omit=dev');
    if (!isSetup && !isCi) problems.push(`${where}: RUN ${run} is not a command CI runs`);
  }
  if (!runs.includes(expected.installCommand)) problems.push(`${where}: never runs ${expected.installCommand}`);
  if (expected.builds && !runs.includes(buildCommand)) problems.push(`${where}: never runs ${buildCommand}`);
  const lastStage = instructions.slice(instructions.lastIndexOf(stages.at(-1) as DockerInstruction));
  const user = lastStage.filter((entry) => entry.keyword === 'USER').at(-1)?.args;
  if (!user || user === 'root' || user === '0') problems.push(`${where}: the final image runs as root`);
  const health = lastStage.find((entry) => entry.keyword === 'HEALTHCHECK')?.args ?? '';
  if (!health.includes('/healthz') || !health.includes(String(expected.opsPort))) {
    problems.push(`${where}: no HEALTHCHECK on /healthz of ops port ${expected.opsPort}`);
  }
  if (!lastStage.some((entry) => entry.keyword === 'CMD')) problems.push(`${where}: no CMD`);
  const installsFfmpeg = lastStage.some(
    (entry) => entry.keyword === 'RUN' && /apt-get install .*\bffmpeg\b/.test(entry.args),
  );
  if (mediaApps.includes(expected.app) && !installsFfmpeg) problems.push(`${where}: ffmpeg is not installed`);
  return problems;
}

interface ComposeService {
  build?: { dockerfile?: string };
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

/**
 * Problems of docker-compose.yml (already parsed, merge keys applied): backing services, one
 * service per app built from its Dockerfile with its ops port and `.env.example`, health-gated
 * dependencies, two transcoders and NGINX publishing the one public port.
 *
 * @example
 * checkCompose(parse(text, { merge: true }), serviceNames); // []
 */
export function checkCompose(document: unknown, apps: readonly ServiceName[]): string[] {
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
    if (service.build?.dockerfile !== `apps/${app}/Dockerfile`) {
      problems.push(`docker-compose.yml: ${app} is not built from apps/${app}/Dockerfile`);
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
 * The Dockerfiles' manifests stage copies `package.json` files at most two folders deep
 * (`find -maxdepth 3`): every workspace pattern must be `<folder>/*`.
 *
 * @example
 * checkWorkspaces(['packages/*', 'apps/*']); // []
 */
export function checkWorkspaces(patterns: readonly string[]): string[] {
  return patterns
    .filter((pattern) => !/^[\w.-]+\/\*$/.test(pattern))
    .map((pattern) => `package.json: workspace "${pattern}" is deeper than the Dockerfiles' manifests stage copies`);
}

/** The repository's files, read once. */
interface DeployFiles {
  dockerfiles: Record<ServiceName, string>;
  compose: unknown;
  nginx: string;
  workspaces: string[];
  expectations: Record<ServiceName, DockerfileExpectations>;
  dashboard: unknown;
  prometheus: unknown;
  metrics: Set<string>;
}

function readDeployFiles(): DeployFiles {
  const installCommand = ciInstallCommand(readFileSync(join(root, '.ci/run'), 'utf8'));
  const dockerfiles = {} as Record<ServiceName, string>;
  const expectations = {} as Record<ServiceName, DockerfileExpectations>;
  for (const app of serviceNames) {
    const path = join(root, 'apps', app, 'Dockerfile');
    dockerfiles[app] = existsSync(path) ? readFileSync(path, 'utf8') : '';
    const manifest = JSON.parse(readFileSync(join(root, 'apps', app, 'package.json'), 'utf8')) as {
      scripts?: Record<string, string>;
    };
    expectations[app] = {
      app,
      opsPort: defaultOpsPorts[app],
      builds: Boolean(manifest.scripts?.build),
      installCommand,
    };
  }
  return {
    dockerfiles,
    expectations,
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
    ...serviceNames.flatMap((app) => checkDockerfile(files.dockerfiles[app], files.expectations[app])),
    ...checkWorkspaces(files.workspaces),
    ...validateComposeSpec(files.compose),
    ...checkCompose(files.compose, serviceNames),
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
  const edge = files.expectations.edge;
  const identity = files.expectations.identity;
  const cases: Array<[string, () => string[], string]> = [
    [
      'an unknown build command',
      () => checkDockerfile(`${files.dockerfiles.edge}\nRUN npm run build:fast`, edge),
      'not a command CI runs',
    ],
    [
      'another install',
      () => checkDockerfile(files.dockerfiles.edge.replace(edge.installCommand, 'npm install'), edge),
      'npm install',
    ],
    [
      'a missing build',
      () => checkDockerfile(files.dockerfiles.identity.replace(/^RUN npx nx run .*$/m, ''), identity),
      'never runs npx nx',
    ],
    ['a root image', () => checkDockerfile(files.dockerfiles.edge.replace(/^USER .*$/m, 'USER root'), edge), 'as root'],
    ['another base', () => checkDockerfile(files.dockerfiles.edge.replace(baseImage, 'node:22'), edge), 'FROM node:22'],
    [
      'a wrong health port',
      () => checkDockerfile(files.dockerfiles.edge.replaceAll('9105', '9999'), edge),
      'HEALTHCHECK',
    ],
    [
      'no ffmpeg',
      () => checkDockerfile(files.dockerfiles.transcoder.replace(/ffmpeg &&/, '&&'), files.expectations.transcoder),
      'ffmpeg',
    ],
    [
      'a missing app',
      () => {
        const doc = compose();
        delete doc.services.catalog;
        return checkCompose(doc, serviceNames);
      },
      'no catalog service',
    ],
    [
      'an ungated start',
      () => {
        const doc = compose();
        doc.services.nginx!.depends_on = { edge: { condition: 'service_started' } };
        return checkCompose(doc, serviceNames);
      },
      'before edge is healthy',
    ],
    [
      'one transcoder',
      () => {
        const doc = compose();
        delete doc.services.transcoder!.deploy;
        return checkCompose(doc, serviceNames);
      },
      'two transcoders',
    ],
    [
      'a published app port',
      () => {
        const doc = compose();
        doc.services.edge!.ports = ['8081:8080'];
        return checkCompose(doc, serviceNames);
      },
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
  process.stdout.write(`deploy checks passed: ${serviceNames.length} Dockerfiles, docker-compose.yml, nginx -t\n`);
}
