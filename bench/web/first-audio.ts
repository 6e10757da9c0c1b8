import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { buildApps, freePort, prepareTestServices, startChildService, waitForHealthy } from '@tonearm/testing';
import { signUp, toneFlac, upload, waitUntilReady } from '../../apps/edge/test/support/listener.ts';
import { startPlatform } from '../../apps/edge/test/support/platform.ts';
import { signInPages } from '../../apps/web/test/support/web-e2e.ts';

/** Browser globals as the `page.evaluate` callbacks use them (typed without the DOM library). */
declare const window: {
  measure(src: string): Promise<number>;
  clickTimes?: Promise<ClickTimes>;
};
declare const document: {
  addEventListener(type: string, f: (event: { type: string; timeStamp: number }) => void, o: object): void;
  querySelectorAll(selector: string): Iterable<{ addEventListener(type: string, f: () => void, o: object): void }>;
};
declare const performance: {
  now(): number;
  getEntriesByType(type: 'resource'): Request[];
};

/** What the page saw of one click on play: when each input event and `playing` came, and the requests in between. */
interface ClickTimes {
  /** The first pointer event on the way to the click (the mouse arriving on the button). */
  pointer: number;
  pointerdown: number;
  click: number;
  playing: number;
  requests: Request[];
}

/** A resource timing entry, as much of it as is printed; `transferSize` 0 is an answer from the HTTP cache. */
interface Request {
  name: string;
  startTime: number;
  responseEnd: number;
  transferSize: number;
}

/** What a request of the click was for, from its URL. */
function requestKind(url: string): string {
  const { pathname } = new URL(url);
  if (pathname.endsWith('/playback')) return 'playback URL';
  if (pathname.endsWith('/waveform')) return 'waveform';
  if (pathname.endsWith('/cover')) return 'cover';
  if (pathname.endsWith('master.m3u8')) return 'master';
  if (pathname.endsWith('.m3u8')) return `variant ${pathname.split('/').at(-2)}`;
  if (/init[^/]*\.mp4$/.test(pathname)) return 'init';
  if (/\.(m4s|mp4)$/.test(pathname)) return `segment ${pathname.split('/').slice(-2).join('/')}`;
  if (pathname.endsWith('.js')) return `script ${pathname.split('/').at(-1)}`;
  return pathname;
}

/** One line for a click: its times from the click and, in order, each request's start and end (ms from the click). */
function describeClick(times: ClickTimes): string {
  const at = (value: number) => (value - times.click).toFixed(0);
  const requests = [...times.requests]
    .sort((a, b) => a.startTime - b.startTime)
    .map(
      (request) =>
        `${requestKind(request.name)} ${at(request.startTime)}..${at(request.responseEnd)}${request.transferSize === 0 ? ' (cache)' : ''}`,
    );
  return (
    `click to playing ${at(times.playing)} ms (mouse onto the button at ${at(times.pointer)}, pointerdown at ${at(times.pointerdown)}); ` +
    requests.join(', ')
  );
}

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
 * Signs in a fresh browser context, opens the home page and clicks the track's play button with
 * Chromium's real mouse; answers what the page saw from the mouse arriving to `playing`. With
 * `hlsJs` the page is told the browser has no native HLS (`canPlayType` answers '' for it), as in
 * Firefox or a Chromium before native HLS, so the app plays through hls.js. With `restMs` the
 * mouse rests on the button that long before pressing, as a listener's often does: what starts on
 * intent then has a head start (the time is still from the click).
 */
async function clickOnPlay(
  browser: Browser,
  platform: Awaited<ReturnType<typeof startPlatform>>,
  owner: Awaited<ReturnType<typeof signUp>>,
  hlsJs: boolean,
  restMs = 0,
): Promise<ClickTimes> {
  const login = await platform.request('POST', '/api/auth/login', {
    body: { email: owner.email, password: owner.password },
  });
  const context = await browser.newContext();
  try {
    await signInPages(context, login.body.refreshToken as string, { hideNativeHls: hlsJs });
    const page = await context.newPage();
    await page.goto(`${platform.edgeUrl}/`);
    const button = page.getByRole('button', { name: 'Play First Audio Tone' });
    await button.waitFor({ timeout: 60_000 });
    await page.evaluate(() => {
      window.clickTimes = new Promise<ClickTimes>((resolve, reject) => {
        const times: Partial<ClickTimes> = {};
        for (const type of ['pointerover', 'pointerdown', 'click'])
          document.addEventListener(
            type,
            (event) => {
              if (type === 'pointerover') times.pointer ??= event.timeStamp;
              else times[type as 'pointerdown' | 'click'] ??= event.timeStamp;
            },
            { capture: true },
          );
        for (const audio of document.querySelectorAll('audio'))
          audio.addEventListener(
            'playing',
            () => {
              const since = times.pointer ?? times.click ?? 0;
              resolve({
                ...(times as ClickTimes),
                playing: performance.now(),
                requests: performance
                  .getEntriesByType('resource')
                  .filter((entry) => entry.startTime >= since)
                  .map(({ name, startTime, responseEnd, transferSize }) => ({
                    name,
                    startTime,
                    responseEnd,
                    transferSize,
                  })),
              });
            },
            { once: true },
          );
        setTimeout(() => reject(new Error('no playing event 30 s after the click')), 30_000);
      });
    });
    // A real click from Chromium's input pipeline: the mouse moves onto the button (pointerover,
    // pointerenter), presses and releases, as a listener's would, with no pause on the way.
    if (restMs > 0) {
      await button.hover();
      await page.waitForTimeout(restMs);
    }
    await button.click();
    return await page.evaluate(() => window.clickTimes!);
  } finally {
    await context.close();
  }
}

/**
 * First audio: milliseconds from `play()` to `playing` in Chromium for a plain hls.js page on
 * the edge's playback URL, and on the same ladder served statically by nginx, alternated
 * `rounds` times in fresh browser contexts; then from a real click on a track's play button in
 * the web app to `playing`, as Chromium plays it and with hls.js (see {@link clickOnPlay}), each
 * round printing its timeline: the mouse's arrival and every request from then on, in ms from the
 * click, `(cache)` when the HTTP cache answered. Prints the medians and the ratios to nginx.
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
    const pointerTimes: number[] = [];
    const hlsJsTimes: number[] = [];
    const hlsJsPointerTimes: number[] = [];
    const restedTimes: number[] = [];
    const restMs = 300;
    console.error('first audio: platform ready, measuring');
    for (let round = 0; round < rounds; round += 1) {
      nginxTimes.push(await plain(nginxMaster));
      edgeTimes.push(await plain(masterUrl));
      console.error(
        `round ${round + 1}: nginx ${nginxTimes.at(-1)!.toFixed(0)} ms, edge ${edgeTimes.at(-1)!.toFixed(0)} ms`,
      );
      for (const hlsJs of [false, true]) {
        const times = await clickOnPlay(browser, platform, owner, hlsJs);
        (hlsJs ? hlsJsTimes : appTimes).push(times.playing - times.click);
        (hlsJs ? hlsJsPointerTimes : pointerTimes).push(times.playing - times.pointer);
        console.error(`round ${round + 1}: web app${hlsJs ? ' (hls.js)' : ''} ${describeClick(times)}`);
      }
      const rested = await clickOnPlay(browser, platform, owner, false, restMs);
      restedTimes.push(rested.playing - rested.click);
      console.error(`round ${round + 1}: web app, ${restMs} ms on the button first: ${describeClick(rested)}`);
    }
    const ms = (value: number) => `${value.toFixed(0)} ms`;
    const floor = median(nginxTimes);
    console.log(
      `first audio, median of ${rounds} (Chromium, play() or click to 'playing'; load average ${loadavg()
        .map((load) => load.toFixed(2))
        .join(', ')}):`,
    );
    console.log(`  nginx, same ladder static, plain hls.js page: ${ms(floor)}  [${nginxTimes.map(ms).join(', ')}]`);
    console.log(
      `  edge playback URL, plain hls.js page:         ${ms(median(edgeTimes))}  [${edgeTimes.map(ms).join(', ')}]`,
    );
    console.log(
      `  web app (native HLS), click on play:          ${ms(median(appTimes))}  [${appTimes.map(ms).join(', ')}]`,
    );
    console.log(
      `  web app (native HLS), mouse onto play:       ${ms(median(pointerTimes))}  [${pointerTimes.map(ms).join(', ')}]`,
    );
    console.log(
      `  web app with hls.js (native HLS hidden), click: ${ms(median(hlsJsTimes))}  [${hlsJsTimes.map(ms).join(', ')}]`,
    );
    console.log(
      `  web app with hls.js, mouse onto play:         ${ms(median(hlsJsPointerTimes))}  [${hlsJsPointerTimes.map(ms).join(', ')}]`,
    );
    console.log(
      `  web app (native HLS), click after ${restMs} ms resting on the button: ${ms(median(restedTimes))}  [${restedTimes.map(ms).join(', ')}]`,
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
