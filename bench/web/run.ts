/**
 * Web app first-load benchmark: the JavaScript a browser must fetch before the home page runs,
 * gzipped, against the target of at most 150 KB (`targets.md`), and whether hls.js stays out of it.
 *
 * 1. builds the web app with nx (replayed from the cache when nothing changed; `--no-build`
 *    takes `apps/web/build` as it is);
 * 2. serves the build's `handler.js` on a free loopback port and fetches `/` as a browser would;
 * 3. the initial JavaScript is every module the page loads before it is interactive: the
 *    `modulepreload` links and `import()` calls in the HTML, and their static imports, followed
 *    transitively through the fetched files; each is gzipped (level 9, as the build's `.gz`);
 * 4. hls.js is found by a string only its bundle holds (`hlsManifestParsed`) among every client
 *    chunk; it must be in none of the initial modules.
 *
 * 5. first audio (skipped with `--bundle-only`; see `first-audio.ts`): the whole platform, a
 *    60 s track, then Chromium measures from `play()` to `playing` for a plain hls.js page on the
 *    edge's playback URL and on the same ladder served by nginx, and from a real mouse click on a
 *    track's play button in the web app (as the browser plays it: native HLS in this Chromium, 156;
 *    and again with native HLS hidden, so through hls.js), each with the requests it made;
 *    medians of `--rounds` alternated rounds and the ratios to nginx. Needs NATS, Postgres,
 *    Redis, ffmpeg, nginx and Chromium.
 *
 * Usage: `npm run bench:web [-- --no-build] [--bundle-only] [--rounds 7]`.
 */
import { spawnSync } from 'node:child_process';
import { access, cp, mkdtemp, readdir, readFile, rm, symlink } from 'node:fs/promises';
import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';

const { values: args } = parseArgs({
  options: {
    'no-build': { type: 'boolean', default: false },
    'bundle-only': { type: 'boolean', default: false },
    rounds: { type: 'string', default: '7' },
  },
});
const rounds = Number(args.rounds);
if (!Number.isInteger(rounds) || rounds < 1) throw new Error('--rounds must be a positive whole number');
const root = resolve(import.meta.dirname, '../..');
const webBuild = join(root, 'apps/web/build');
const targetKb = 150;
const hlsMarker = 'hlsManifestParsed';

if (!args['no-build']) {
  const built = spawnSync(process.execPath, [join(root, 'node_modules/.bin/nx'), 'run', '@tonearm/web:build'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, NX_DAEMON: 'false', NX_TUI: 'false' },
  });
  if (built.status !== 0) throw new Error('building the web app failed');
}

/**
 * A private copy of the build (other runs on this machine may be rebuilding `apps/web/build`),
 * beside a link to the repository's node_modules for the server's few external imports.
 */
async function copyOfBuild(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'tonearm-bench-web-'));
  await symlink(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir');
  for (let attempt = 0; ; attempt += 1) {
    try {
      await access(join(webBuild, 'handler.js'));
      await cp(webBuild, join(dir, 'build'), { recursive: true });
      await access(join(dir, 'build/handler.js'));
      await access(join(dir, 'build/server/index.js'));
      return dir;
    } catch (error) {
      if (attempt >= 30) throw new Error(`no complete web build in ${webBuild}`, { cause: error });
      await rm(join(dir, 'build'), { recursive: true, force: true });
      await new Promise((wait) => setTimeout(wait, 2000));
    }
  }
}

const copy = await copyOfBuild();
const buildDir = join(copy, 'build');
const { handler } = (await import(join(buildDir, 'handler.js'))) as { handler: RequestListener };
const server = createServer(handler);
await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

/** Module URLs a piece of HTML or JavaScript loads at once (not `import()` in JavaScript: that is on demand). */
function staticImports(text: string, from: string, html: boolean): string[] {
  const found = new Set<string>();
  if (html) {
    for (const [link] of text.matchAll(/<link\b[^>]*\brel="modulepreload"[^>]*>/g)) {
      const href = /\bhref="([^"]+)"/.exec(link)?.[1];
      if (href) found.add(new URL(href, from).href);
    }
  }
  const patterns = html
    ? [/import\(\s*"([^"]+\.js)"\s*\)/g, /<script[^>]+src="([^"]+)"/g]
    : [/(?:^|[;\s}])import\s*(?:[\w$*{}\s,]+from\s*)?"([^"]+\.js)"/g, /export\s*\*\s*from\s*"([^"]+\.js)"/g];
  for (const pattern of patterns) for (const match of text.matchAll(pattern)) found.add(new URL(match[1]!, from).href);
  return [...found];
}

try {
  const pageUrl = `${origin}/`;
  const page = await fetch(pageUrl);
  if (!page.ok) throw new Error(`GET / answered ${page.status}`);
  const html = await page.text();
  const pending = staticImports(html, pageUrl, true);
  const modules = new Map<string, { raw: number; gzip: number; hls: boolean }>();
  while (pending.length > 0) {
    const url = pending.pop()!;
    if (modules.has(url)) continue;
    const answer = await fetch(url);
    if (!answer.ok) throw new Error(`GET ${url} answered ${answer.status}`);
    const body = Buffer.from(await answer.arrayBuffer());
    const text = body.toString('utf8');
    modules.set(url, {
      raw: body.byteLength,
      gzip: gzipSync(body, { level: 9 }).byteLength,
      hls: text.includes(hlsMarker),
    });
    pending.push(...staticImports(text, url, false));
  }

  const chunksDir = join(buildDir, 'client/_app/immutable/chunks');
  const hlsChunks: { name: string; gzip: number }[] = [];
  for (const name of (await readdir(chunksDir)).filter((file) => file.endsWith('.js'))) {
    const body = await readFile(join(chunksDir, name));
    if (body.includes(hlsMarker)) hlsChunks.push({ name, gzip: gzipSync(body, { level: 9 }).byteLength });
  }

  const kb = (bytes: number) => (bytes / 1024).toFixed(1);
  const totalGzip = [...modules.values()].reduce((sum, module) => sum + module.gzip, 0);
  const totalRaw = [...modules.values()].reduce((sum, module) => sum + module.raw, 0);
  const hlsInitial = [...modules.values()].some((module) => module.hls);
  console.log('web first load (home page, production build)');
  for (const [url, module] of [...modules].sort((a, b) => b[1].gzip - a[1].gzip)) {
    console.log(
      `  ${new URL(url).pathname.padEnd(48)} ${kb(module.raw).padStart(7)} KB  gzip ${kb(module.gzip).padStart(6)} KB`,
    );
  }
  console.log(
    `initial JavaScript: ${modules.size} modules, ${kb(totalRaw)} KB, gzip ${kb(totalGzip)} KB (target <= ${targetKb} KB)`,
  );
  console.log(`ratio to target: ${(totalGzip / 1024 / targetKb).toFixed(2)} (<= 1 meets it)`);
  console.log(
    hlsChunks.length === 0
      ? 'hls.js: no client chunk holds it (not bundled?)'
      : `hls.js: ${hlsChunks.map((chunk) => `${chunk.name} gzip ${kb(chunk.gzip)} KB`).join(', ')}, ${hlsInitial ? 'IN the initial load' : 'not in the initial load (loaded when something plays)'}`,
  );
  if (hlsInitial || totalGzip / 1024 > targetKb || hlsChunks.length === 0) process.exitCode = 1;
} finally {
  server.close();
  await rm(copy, { recursive: true, force: true });
}

if (!args['bundle-only']) {
  const { firstAudio } = await import('./first-audio.ts');
  await firstAudio(rounds);
}
