import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { buildApps, freePort, prepareTestServices, startChildService, waitForHealthy } from '@tonearm/testing';
import { signUp, toneFlac, upload, waitUntilReady } from '../../apps/edge/test/support/listener.ts';
import { startPlatform } from '../../apps/edge/test/support/platform.ts';

/** Browser globals as the `page.evaluate` callbacks use them (typed without the DOM library). */
declare const window: { measure(src: string): Promise<number> };
declare const document: {
  querySelectorAll(selector: string): Iterable<{ addEventListener(type: string, f: () => void, o: object): void }>;
  querySelector(selector: string): { click(): void } | null;
};
declare const performance: { now(): number };

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** The page that plays one URL with hls.js and answers the milliseconds from `play()` to `playing`. */
const plainPage = `<!doctype html><meta charset="utf-8"><script src="/hls.js"></script><script>
window.measure = (src) => new Promise((resolve, reject) => {
  const audio = document.createElement('audio');
  document.body.append(audio);
  const hls = new Hls();
  hls.loadSource(src);
  hls.attachMedia(audio);
  const start = performance.now();
  audio.addEventListener('playing', () => { resolve(performance.now() - start); hls.destroy(); }, { once: true });
  hls.on(Hls.Events.ERROR, (_e, data) => { if (data.fatal) reject(new Error('hls.js: ' + data.details)); });
  setTimeout(() => reject(new Error('no playing event in 30 s')), 30000);
  audio.play().catch(reject);
});
</script>`;

/** Copies an HLS ladder (master, variants, init and media segments) from `masterUrl` to `dir`, tokens stripped. */
async function mirrorLadder(masterUrl: string, dir: string): Promise<void> {
  const save = async (url: URL, body: Buffer | string) => {
    const file = join(dir, url.pathname);
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, body);
  };
  const fetchOk = async (url: URL) => {
    const answer = await fetch(url);
    if (!answer.ok) throw new Error(`GET ${url.pathname} answered ${answer.status}`);
    return answer;
  };
  const strip = (playlist: string) => playlist.replace(/\?t=[^"\s]*/g, '');
  const master = new URL(masterUrl);
  const masterText = await (await fetchOk(master)).text();
  await save(master, strip(masterText));
  for (const line of masterText.split('\n').filter((l) => l && !l.startsWith('#'))) {
    const variant = new URL(line, master);
    const variantText = await (await fetchOk(variant)).text();
    await save(variant, strip(variantText));
    const uris = [
      ...variantText.split('\n').filter((l) => l && !l.startsWith('#')),
      ...[...variantText.matchAll(/URI="([^"]+)"/g)].map((m) => m[1]!),
    ];
    for (const uri of uris) {
      const file = new URL(uri, variant);
      await save(file, Buffer.from(await (await fetchOk(file)).arrayBuffer()));
    }
  }
}

/**
 * First audio: milliseconds from `play()` to `playing` in Chromium for a plain hls.js page on
 * the edge's playback URL, and on the same ladder served statically by nginx, alternated
 * `rounds` times in fresh browser contexts; then from a click on a track's play button in the
 * web app to `playing`. Prints the medians and the ratios to nginx.
 */
export async function firstAudio(rounds: number): Promise<void> {
  buildApps();
  const services = await prepareTestServices();
  Object.assign(process.env, services.env);
  const work = await mkdtemp(join(tmpdir(), 'tonearm-first-audio-'));
  const cleanups: (() => Promise<unknown>)[] = [
    () => rm(work, { recursive: true, force: true }),
    () => services.stop(),
  ];
  let browser: Browser | undefined;
  try {
    const pagePort = await freePort();
    const pageOrigin = `http://127.0.0.1:${pagePort}`;
    const platform = await startPlatform({ edgeEnv: { EDGE_CORS_ORIGINS: pageOrigin }, readyTimeoutMs: 120_000 });
    cleanups.unshift(() => platform.stop());
    const web = await startChildService({
      app: 'web',
      env: { BUS_NAMESPACE: platform.bus.topology.namespace, WEB_PORT: '0', LOG_LEVEL: 'warn' },
      readyTimeoutMs: 120_000,
    });
    cleanups.unshift(() => web.stop());
    const owner = await signUp(platform);
    const trackId = await upload(platform, owner, 'first-audio.flac', await toneFlac(60, 'First Audio Tone'));
    await waitUntilReady(platform, owner, trackId, 180_000);
    const playback = await platform.request('GET', `/api/tracks/${trackId}/playback`, { token: owner.accessToken });
    const masterUrl: string = playback.body.masterUrl;

    await mirrorLadder(masterUrl, join(work, 'www'));
    const nginxPort = await freePort();
    const conf = join(work, 'nginx.conf');
    await writeFile(
      conf,
      `worker_processes 1;\ndaemon off;\npid ${join(work, 'nginx.pid')};\nerror_log ${join(work, 'nginx-error.log')};\n` +
        'events { worker_connections 256; }\n' +
        `http {\n  access_log off;\n  sendfile on;\n` +
        `  client_body_temp_path ${work}; proxy_temp_path ${work}; fastcgi_temp_path ${work}; uwsgi_temp_path ${work}; scgi_temp_path ${work};\n` +
        `  types { application/vnd.apple.mpegurl m3u8; audio/mp4 m4s mp4; }\n  server {\n    listen 127.0.0.1:${nginxPort};\n    root ${join(work, 'www')};\n` +
        `    location / { add_header Access-Control-Allow-Origin "*"; }\n  }\n}\n`,
    );
    const nginx = spawn('nginx', ['-c', conf, '-p', work], { stdio: 'ignore' });
    cleanups.unshift(async () => {
      nginx.kill('SIGQUIT');
      await new Promise((resolve) => nginx.once('exit', resolve));
    });
    const nginxMaster = `http://127.0.0.1:${nginxPort}${new URL(masterUrl).pathname}`;
    await waitForHealthy(nginxMaster, { timeoutMs: 10_000 });

    const hlsJs = await readFile(join(import.meta.dirname, '../../node_modules/hls.js/dist/hls.min.js'));
    const pages = createServer((req, res) => {
      if (req.url === '/hls.js') res.writeHead(200, { 'content-type': 'text/javascript' }).end(hlsJs);
      else res.writeHead(200, { 'content-type': 'text/html' }).end(plainPage);
    });
    await new Promise<void>((ready) => pages.listen(pagePort, '127.0.0.1', ready));
    cleanups.unshift(() => new Promise((done) => pages.close(done)));

    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--autoplay-policy=no-user-gesture-required', '--no-sandbox'],
    });
    const plain = async (src: string) => {
      const context = await browser!.newContext();
      try {
        const page = await context.newPage();
        await page.goto(`${pageOrigin}/`);
        return await page.evaluate((url) => window.measure(url), src);
      } finally {
        await context.close();
      }
    };
    const edgeTimes: number[] = [];
    const nginxTimes: number[] = [];
    const appTimes: number[] = [];
    console.error('first audio: platform ready, measuring');
    for (let round = 0; round < rounds; round += 1) {
      nginxTimes.push(await plain(nginxMaster));
      edgeTimes.push(await plain(masterUrl));
      console.error(
        `round ${round + 1}: nginx ${nginxTimes.at(-1)!.toFixed(0)} ms, edge ${edgeTimes.at(-1)!.toFixed(0)} ms`,
      );
      const login = await platform.request('POST', '/api/auth/login', {
        body: { email: owner.email, password: owner.password },
      });
      const context = await browser.newContext();
      try {
        await context.addInitScript((token) => {
          (globalThis as unknown as { localStorage: { setItem(k: string, v: string): void } }).localStorage.setItem(
            'tonearm.refreshToken',
            token,
          );
        }, login.body.refreshToken as string);
        const page = await context.newPage();
        await page.goto(`${platform.edgeUrl}/`);
        await page.getByRole('button', { name: 'Play First Audio Tone' }).waitFor({ timeout: 60_000 });
        appTimes.push(
          await page.evaluate(
            () =>
              new Promise<number>((resolve) => {
                for (const audio of document.querySelectorAll('audio'))
                  audio.addEventListener('playing', () => resolve(performance.now() - start), { once: true });
                setTimeout(() => resolve(Number.NaN), 30_000);
                const start = performance.now();
                document.querySelector('button[aria-label="Play First Audio Tone"]')!.click();
              }),
          ),
        );
        console.error(`round ${round + 1}: web app ${appTimes.at(-1)!.toFixed(0)} ms`);
      } finally {
        await context.close();
      }
    }
    if (appTimes.some(Number.isNaN)) throw new Error('the web app did not start playing within 30 s after a click');
    const ms = (value: number) => `${value.toFixed(0)} ms`;
    const floor = median(nginxTimes);
    console.log(`first audio, median of ${rounds} (Chromium, play() or click to 'playing'):`);
    console.log(`  nginx, same ladder static, plain hls.js page: ${ms(floor)}  [${nginxTimes.map(ms).join(', ')}]`);
    console.log(
      `  edge playback URL, plain hls.js page:         ${ms(median(edgeTimes))}  [${edgeTimes.map(ms).join(', ')}]`,
    );
    console.log(
      `  web app, click on play:                       ${ms(median(appTimes))}  [${appTimes.map(ms).join(', ')}]`,
    );
    console.log(`ratio edge / nginx: ${(median(edgeTimes) / floor).toFixed(2)} (target <= 1.2)`);
    console.log(
      `ratio web app click / nginx: ${(median(appTimes) / floor).toFixed(2)} (target: a median <= 150 ms, ${ms(median(appTimes))} here)`,
    );
  } finally {
    await browser?.close();
    for (const cleanup of cleanups) await cleanup().catch((error: unknown) => console.error('cleanup:', error));
  }
}
