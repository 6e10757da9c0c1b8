import { createHmac } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import {
  base64url,
  decodeJwt,
  exportJWK,
  exportSPKI,
  generateKeyPair,
  importJWK,
  SignJWT,
  type CryptoKey,
  type JWK,
} from 'jose';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { putSetting } from '@tonearm/bus';
import { runtimeSettings } from '@tonearm/contracts';
import { storedMessages } from '../../../packages/bus/test/bus-test-helper.ts';
import {
  decodedSeconds,
  eventually,
  signUp,
  toneFlac,
  upload,
  waitUntilReady,
  type Listener,
} from './support/listener.ts';
import { startPlatform, type Platform } from './support/platform.ts';

let platform: Platform;
let admin: Listener;
let owner: Listener;
let trackA: string;
let trackB: string;
let playbackA: { masterUrl: string; expiresAt: string };
let tokenA: string;

/** A GET with the path sent exactly as written (fetch would normalise `..` and encodings away). */
function rawGet(path: string): Promise<{ status: number; body: Buffer }> {
  const { hostname, port } = new URL(platform.edgeUrl);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ hostname, port, path, method: 'GET' }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** The first media segment URI of the first variant, as a path with its token, from the master. */
async function firstSegmentPath(): Promise<{ init: string; segment: string; variant: string }> {
  const master = await (await fetch(playbackA.masterUrl)).text();
  const variantUri = master.split('\n').find((line) => line && !line.startsWith('#'))!;
  const variantUrl = new URL(variantUri, playbackA.masterUrl);
  const variant = await (await fetch(variantUrl)).text();
  const segmentUri = variant.split('\n').find((line) => line && !line.startsWith('#'))!;
  const initUri = /URI="([^"]+)"/.exec(variant)![1]!;
  return {
    variant: variantUrl.href,
    init: new URL(initUri, variantUrl).href,
    segment: new URL(segmentUri, variantUrl).href,
  };
}

beforeAll(async () => {
  platform = await startPlatform({
    // The tests' own address is a trusted proxy, so x-forwarded-for can play other clients.
    edgeEnv: { EDGE_CORS_ORIGINS: 'http://app.example.org', EDGE_TRUSTED_PROXIES: '127.0.0.1' },
  });
  admin = await signUp(platform); // the first account is an admin
  owner = await signUp(platform);
  const [a, b] = await Promise.all([toneFlac(9, 'Track A'), toneFlac(4, 'Track B')]);
  trackA = await upload(platform, owner, 'a.flac', a);
  trackB = await upload(platform, owner, 'b.flac', b);
  await waitUntilReady(platform, owner, trackA);
  await waitUntilReady(platform, owner, trackB);
  const playback = await platform.request('GET', `/api/tracks/${trackA}/playback`, { token: owner.accessToken });
  if (playback.status !== 200) throw new Error(`playback answered ${playback.status}: ${playback.text}`);
  playbackA = playback.body;
  tokenA = new URL(playbackA.masterUrl).searchParams.get('t')!;
}, 240_000);

afterAll(async () => {
  await platform?.stop();
}, 60_000);

describe('a track uploaded through the edge', () => {
  it('plays: ffmpeg, given only the playback URL, decodes the whole stream', async () => {
    expect(new Date(playbackA.expiresAt).getTime()).toBeGreaterThan(Date.now());
    expect(new URL(playbackA.masterUrl).pathname).toBe(`/stream/${trackA}/master.m3u8`);

    const seconds = await decodedSeconds(playbackA.masterUrl);

    expect(seconds).toBeGreaterThan(8.5);
    expect(seconds).toBeLessThan(9.5);
  });

  it('serves its waveform peaks', async () => {
    const answer = await platform.request('GET', `/api/tracks/${trackA}/waveform`, { token: owner.accessToken });

    expect(answer.status).toBe(200);
    expect(answer.body.peaks.length).toBeGreaterThan(10);
    expect(answer.body.peaks.every((p: number) => p >= 0 && p <= 1)).toBe(true);
  });

  it('publishes playback.started once per playback URL when the master playlist is fetched', async () => {
    await fetch(playbackA.masterUrl);
    await fetch(playbackA.masterUrl);
    const events = await eventually(
      async () =>
        (await storedMessages(platform.bus, 'playback')).map((m) => m.json<{ type: string; data: unknown }>()),
      (found) => found.length > 0,
    );

    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      type: 'playback.started.v1',
      data: { trackId: trackA, userId: owner.userId, positionMs: 0 },
    });
  });

  it("takes a player's progress and end as playback events, refusing bad ones", async () => {
    const post = (body: unknown, token: string | undefined = owner.accessToken) =>
      platform.request('POST', `/api/tracks/${trackA}/playback/events`, { body, ...(token ? { token } : {}) });

    expect((await post({ type: 'finished', positionMs: 9_000 })).status).toBe(202);
    for (const bad of [
      { type: 'paused', positionMs: 1 },
      { type: 'progressed', positionMs: -1 },
      { type: 'finished' },
      '{',
    ]) {
      expect((await post(bad)).status, JSON.stringify(bad)).toBe(400);
    }
    expect((await post({ type: 'finished', positionMs: 1 }, '')).status).toBe(401);
    const missing = await platform.request('POST', `/api/tracks/00000000-0000-4000-8000-000000000000/playback/events`, {
      token: owner.accessToken,
      body: { type: 'finished', positionMs: 1 },
    });
    expect(missing.status).toBe(404);

    const events = await eventually(
      async () =>
        (await storedMessages(platform.bus, 'playback')).map((m) => m.json<{ type: string; data: unknown }>()),
      (found) => found.some((e) => e.type === 'playback.finished.v1'),
    );
    expect(events.filter((e) => e.type === 'playback.finished.v1')).toEqual([
      expect.objectContaining({ data: expect.objectContaining({ trackId: trackA, positionMs: 9_000 }) }),
    ]);
  });

  it('lists it in the catalog with the API shape', async () => {
    const answer = await platform.request('GET', `/api/tracks?mine=true`, { token: owner.accessToken });

    expect(answer.status).toBe(200);
    expect(answer.body.items.map((t: { id: string }) => t.id).sort()).toEqual([trackA, trackB].sort());
  });
});

describe('HLS delivery', () => {
  it('sends playlists with their type, short caching, gzip, and the token on every URI', async () => {
    const response = await fetch(playbackA.masterUrl, { headers: { 'accept-encoding': 'gzip' } });
    const text = await response.text();

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/vnd.apple.mpegurl');
    expect(response.headers.get('cache-control')).toBe('private, max-age=10');
    expect(response.headers.get('content-encoding')).toBe('gzip');
    const uris = text.split('\n').filter((line) => line && !line.startsWith('#'));
    expect(uris.length).toBeGreaterThanOrEqual(3);
    for (const uri of uris) expect(new URL(uri, playbackA.masterUrl).searchParams.get('t')).toBe(tokenA);
  });

  it('sends segments with their type, immutable caching and an ETag, and 304 for a known ETag', async () => {
    const { init, segment } = await firstSegmentPath();
    const initAnswer = await fetch(init);
    expect(initAnswer.status).toBe(200);
    expect(initAnswer.headers.get('content-type')).toBe('audio/mp4');

    const first = await fetch(segment);
    const bytes = Buffer.from(await first.arrayBuffer());
    const etag = first.headers.get('etag')!;

    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toBe('audio/mp4');
    expect(first.headers.get('cache-control')).toBe('private, max-age=31536000, immutable');
    expect(etag).toMatch(/^"/);
    expect(first.headers.get('x-content-type-options')).toBe('nosniff');
    expect(first.headers.get('x-request-id')).toMatch(/^[\w-]{8,}$/);
    const head = await fetch(segment, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(Number(head.headers.get('content-length'))).toBe(bytes.byteLength);
    const metrics = await (await fetch(`${platform.edgeUrl}/metrics`)).text();
    expect(metrics).toMatch(/http_request_duration_seconds_count\{[^}]*route="\/stream\/\*",status="200"[^}]*\} [1-9]/);
    expect(bytes.subarray(4, 8).toString('latin1')).toMatch(/styp|moof/);
    const again = await fetch(segment, { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    expect((await again.arrayBuffer()).byteLength).toBe(0);
    const changed = await fetch(segment, { headers: { 'if-none-match': '"something-else"' } });
    expect(changed.status).toBe(200);
  });

  it('answers Range requests: first bytes, middle, suffix, and 416 past the end', async () => {
    const { segment } = await firstSegmentPath();
    const whole = Buffer.from(await (await fetch(segment)).arrayBuffer());
    const size = whole.byteLength;
    const ranged = async (range: string) => {
      const response = await fetch(segment, { headers: { range } });
      return {
        status: response.status,
        contentRange: response.headers.get('content-range'),
        body: Buffer.from(await response.arrayBuffer()),
      };
    };

    const first = await ranged('bytes=0-99');
    expect(first).toMatchObject({ status: 206, contentRange: `bytes 0-99/${size}` });
    expect(first.body.equals(whole.subarray(0, 100))).toBe(true);

    const middle = await ranged('bytes=1000-1999');
    expect(middle).toMatchObject({ status: 206, contentRange: `bytes 1000-1999/${size}` });
    expect(middle.body.equals(whole.subarray(1000, 2000))).toBe(true);

    const suffix = await ranged('bytes=-500');
    expect(suffix).toMatchObject({ status: 206, contentRange: `bytes ${size - 500}-${size - 1}/${size}` });
    expect(suffix.body.equals(whole.subarray(size - 500))).toBe(true);

    const past = await ranged(`bytes=${size}-`);
    expect(past).toMatchObject({ status: 416, contentRange: `bytes */${size}` });
  });

  it('refuses paths that leave the track: .., encoded slashes and dots, absolute URLs and keys', async () => {
    const t = `t=${encodeURIComponent(tokenA)}`;
    const attempts = [
      `/stream/${trackA}/../${trackB}/master.m3u8?${t}`,
      `/stream/${trackA}/..%2F${trackB}%2Fmaster.m3u8?${t}`,
      `/stream/${trackA}/aac-64k%2Findex.m3u8?${t}`,
      `/stream/${trackA}/%2e%2e/%2e%2e/sources/${trackA}?${t}`,
      `/stream/${trackA}/..%2f..%2fsources%2f${trackA}?${t}`,
      `/stream/${trackA}/sources/${trackA}?${t}`,
      `/stream/${trackA}/waveform.json?${t}`,
      `/stream/${trackA}/http://127.0.0.1/master.m3u8?${t}`,
      `/stream/${trackA}//hls/${trackA}/master.m3u8?${t}`,
      `/stream/${trackA}/a/b/c/x.m4s?${t}`,
      `/stream/..%2F..%2Fsources%2F${trackA}/master.m3u8?${t}`,
    ];
    for (const path of attempts) {
      const answer = await rawGet(path);
      expect([400, 403, 404], path).toContain(answer.status);
      expect(answer.body.toString('utf8'), path).toMatch(/^\{"error":/);
    }
  });
});

describe('media tokens', () => {
  it('opens no other track: a token for track A gets 403 on track B', async () => {
    const t = encodeURIComponent(tokenA);

    expect((await fetch(`${platform.edgeUrl}/stream/${trackB}/master.m3u8?t=${t}`)).status).toBe(403);
    expect((await fetch(`${platform.edgeUrl}/stream/${trackB}/aac-64k/index.m3u8?t=${t}`)).status).toBe(403);
  });

  it('refuses a changed, forged or missing media token with 401', async () => {
    const [header, payload, signature] = tokenA.split('.');
    const otherTrack = base64url.encode(JSON.stringify({ ...decodeJwt(tokenA), trk: trackB }));
    for (const token of [`${header}.${otherTrack}.${signature}`, `${tokenA}x`, 'garbage', `${header}.${payload}.`]) {
      const response = await fetch(`${platform.edgeUrl}/stream/${trackB}/master.m3u8?t=${encodeURIComponent(token)}`);
      expect(response.status, token).toBe(401);
    }
    expect((await fetch(`${platform.edgeUrl}/stream/${trackA}/master.m3u8`)).status).toBe(401);
  });

  it('accepts a bearer header on the master playlist and puts a media token in it', async () => {
    const response = await fetch(`${platform.edgeUrl}/stream/${trackA}/master.m3u8`, {
      headers: { authorization: `Bearer ${owner.accessToken}` },
    });
    const text = await response.text();

    expect(response.status).toBe(200);
    const uri = text.split('\n').find((line) => line && !line.startsWith('#'))!;
    const variant = await fetch(new URL(uri, `${platform.edgeUrl}/stream/${trackA}/master.m3u8`));
    expect(variant.status).toBe(200);
  });
});

describe('access tokens at the edge', () => {
  let activeKey: { kid: string; privateJwk: JWK; publicJwk: JWK };
  const playback = (token: string) => platform.request('GET', `/api/tracks/${trackA}/playback`, { token });
  const realClaims = () => {
    const claims = decodeJwt(owner.accessToken);
    return { sid: claims.sid, roles: claims.roles };
  };
  const withIdentityKey = async (build: (jwt: SignJWT) => SignJWT) =>
    build(new SignJWT(realClaims()).setProtectedHeader({ alg: 'EdDSA', kid: activeKey.kid, typ: 'JWT' })).sign(
      await importJWK(activeKey.privateJwk, 'EdDSA'),
    );
  const encode = (part: unknown) => base64url.encode(JSON.stringify(part));

  beforeAll(async () => {
    const client = new pg.Client({ connectionString: platform.identityDatabase.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ kid: string; private_jwk: JWK; public_jwk: JWK }>(
        'SELECT kid, private_jwk, public_jwk FROM signing_keys WHERE retired_at IS NULL',
      );
      activeKey = { kid: rows[0]!.kid, privateJwk: rows[0]!.private_jwk, publicJwk: rows[0]!.public_jwk };
    } finally {
      await client.end();
    }
  });

  it('accepts the real token and one signed with identity key and right claims (the controls)', async () => {
    expect((await playback(owner.accessToken)).status).toBe(200);
    const token = await withIdentityKey((jwt) =>
      jwt
        .setIssuer('tonearm-identity')
        .setAudience('tonearm')
        .setSubject(owner.userId)
        .setIssuedAt()
        .setExpirationTime('5m'),
    );
    expect((await playback(token)).status).toBe(200);
  });

  it('refuses a token signed with another Ed25519 key under the real kid', async () => {
    const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
    const token = await new SignJWT(realClaims())
      .setProtectedHeader({ alg: 'EdDSA', kid: activeKey.kid, typ: 'JWT' })
      .setIssuer('tonearm-identity')
      .setAudience('tonearm')
      .setSubject(owner.userId)
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(privateKey);

    const answer = await playback(token);

    expect(answer.status).toBe(401);
    expect(answer.body).toMatchObject({ error: { code: 'unauthorized' } });
  });

  it('refuses a token under an unknown kid', async () => {
    const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
    const token = await new SignJWT(realClaims())
      .setProtectedHeader({ alg: 'EdDSA', kid: 'no-such-key', typ: 'JWT' })
      .setIssuer('tonearm-identity')
      .setAudience('tonearm')
      .setSubject(owner.userId)
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(privateKey);

    expect((await playback(token)).status).toBe(401);
  });

  it('refuses an unsigned token with alg none', async () => {
    const token = `${encode({ alg: 'none', kid: activeKey.kid, typ: 'JWT' })}.${encode(decodeJwt(owner.accessToken))}.`;

    expect((await playback(token)).status).toBe(401);
  });

  it('refuses an HS256 token whose HMAC secret is the public key', async () => {
    const pem = await exportSPKI((await importJWK(activeKey.publicJwk, 'EdDSA')) as CryptoKey);
    for (const secret of [pem, JSON.stringify(activeKey.publicJwk), String(activeKey.publicJwk.x)]) {
      const input = `${encode({ alg: 'HS256', kid: activeKey.kid, typ: 'JWT' })}.${encode(decodeJwt(owner.accessToken))}`;
      const signature = createHmac('sha256', secret).update(input).digest('base64url');

      expect((await playback(`${input}.${signature}`)).status).toBe(401);
    }
  });

  it('refuses an expired token, another audience and another issuer, each signed with the real key', async () => {
    const now = Math.floor(Date.now() / 1000);
    const expired = await withIdentityKey((jwt) =>
      jwt
        .setIssuer('tonearm-identity')
        .setAudience('tonearm')
        .setSubject(owner.userId)
        .setIssuedAt(now - 1_000)
        .setExpirationTime(now - 100),
    );
    const audience = await withIdentityKey((jwt) =>
      jwt
        .setIssuer('tonearm-identity')
        .setAudience('another-app')
        .setSubject(owner.userId)
        .setIssuedAt()
        .setExpirationTime('5m'),
    );
    const issuer = await withIdentityKey((jwt) =>
      jwt
        .setIssuer('someone-else')
        .setAudience('tonearm')
        .setSubject(owner.userId)
        .setIssuedAt()
        .setExpirationTime('5m'),
    );

    for (const token of [expired, audience, issuer]) expect((await playback(token)).status).toBe(401);
  });

  it('refuses the real token with its payload changed, and values that are no JWT', async () => {
    const [header, , signature] = owner.accessToken.split('.');
    const raised = `${header}.${encode({ ...decodeJwt(owner.accessToken), roles: ['user', 'admin'] })}.${signature}`;
    for (const token of [raised, 'garbage', 'a.b.c', `${owner.accessToken}x`]) {
      expect((await playback(token)).status).toBe(401);
    }
    const malformed = await platform.request('GET', `/api/tracks/${trackA}/playback`, {
      headers: { authorization: 'Basic dXNlcjpwYXNz' },
    });
    expect(malformed.status).toBe(401);
  });

  it('takes new signing keys from identity.signing-keys.rotated.v1 without a restart', async () => {
    const { privateKey, publicKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
    const kid = `rotated-${Date.now()}`;
    const token = await new SignJWT(realClaims())
      .setProtectedHeader({ alg: 'EdDSA', kid, typ: 'JWT' })
      .setIssuer('tonearm-identity')
      .setAudience('tonearm')
      .setSubject(owner.userId)
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(privateKey);
    expect((await playback(token)).status).toBe(401);

    const jwk = { ...(await exportJWK(publicKey)), kid, alg: 'EdDSA', use: 'sig' };
    await platform.bus.publish('identity.signing-keys.rotated.v1', {
      data: { jwks: { keys: [activeKey.publicJwk, jwk] } },
    });

    const answer = await eventually(
      () => playback(token),
      (a) => a.status === 200,
    );
    expect(answer.status).toBe(200);
    expect((await playback(owner.accessToken)).status).toBe(200);
  });

  it('asks for a token on protected routes and answers 401 in the error shape', async () => {
    for (const [method, path] of [
      ['GET', `/api/tracks/${trackA}/playback`],
      ['GET', `/api/tracks/${trackA}/waveform`],
      ['POST', '/api/uploads'],
      ['DELETE', `/api/tracks/${trackA}`],
    ] as const) {
      const answer = await platform.request(method, path);
      expect(answer.status, path).toBe(401);
      expect(answer.body, path).toMatchObject({ error: { code: 'unauthorized' } });
    }
  });
});

describe('bad input through the edge', () => {
  it('answers 400 for a body that is not a JSON object, and for invalid fields with details', async () => {
    const notJson = await platform.request('POST', '/api/uploads', { token: owner.accessToken, body: '{nope' });
    expect(notJson.status).toBe(400);
    const array = await platform.request('POST', '/api/uploads', { token: owner.accessToken, body: [1] });
    expect(array.status).toBe(400);
    const invalid = await platform.request('POST', '/api/uploads', {
      token: owner.accessToken,
      body: { filename: '', size: -1 },
    });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.code).toBe('invalid_request');
  });

  it('answers 404 for a track that does not exist and 400 for an id that is no UUID', async () => {
    const missing = '00000000-0000-4000-8000-000000000000';
    expect((await platform.request('GET', `/api/tracks/${missing}`)).status).toBe(404);
    expect(
      (await platform.request('GET', `/api/tracks/${missing}/playback`, { token: owner.accessToken })).status,
    ).toBe(404);
    expect((await platform.request('GET', '/api/tracks/not-a-uuid')).status).toBe(400);
  });
});

describe('a track that cannot play', () => {
  it('answers 409 for the playback URL and 404 for the waveform of a refused upload', async () => {
    const trackId = await upload(platform, owner, 'notes.flac', Buffer.from('these are not audio bytes '.repeat(400)));
    const failed = await eventually(
      () => platform.request('GET', `/api/tracks/${trackId}`, { token: owner.accessToken }),
      (answer) => answer.status === 200 && answer.body.status === 'failed',
      30_000,
    );
    expect(failed.body.status).toBe('failed');

    const playback = await platform.request('GET', `/api/tracks/${trackId}/playback`, { token: owner.accessToken });
    expect(playback.status).toBe(409);
    expect(playback.body.error.code).toBe('conflict');
    const waveform = await platform.request('GET', `/api/tracks/${trackId}/waveform`, { token: owner.accessToken });
    expect(waveform.status).toBe(404);
  });
});

describe('API tokens at the edge', () => {
  it('work as bearer tokens within their scopes and stop working when revoked', async () => {
    const created = await platform.request('POST', '/api/tokens', {
      token: owner.accessToken,
      body: { name: 'cli', scopes: ['read'] },
    });
    expect(created.status).toBe(201);
    const apiToken = created.body.token as string;

    expect((await platform.request('GET', `/api/tracks/${trackA}`, { token: apiToken })).status).toBe(200);
    expect((await platform.request('GET', `/api/tracks/${trackA}/playback`, { token: apiToken })).status).toBe(200);
    const upload = await platform.request('POST', '/api/uploads', {
      token: apiToken,
      body: { filename: 'x.flac', size: 10 },
    });
    expect(upload.status).toBe(403);

    const revoked = await platform.request('DELETE', `/api/tokens/${created.body.id}`, { token: owner.accessToken });
    expect(revoked.status).toBe(204);
    const after = await eventually(
      () => platform.request('GET', `/api/tracks/${trackA}`, { token: apiToken }),
      (answer) => answer.status === 401,
    );
    expect(after.status).toBe(401);
  });
});

describe('logout', () => {
  it('ends the session everywhere: API routes, the playback URL and its segments get 401', async () => {
    const listener = await signUp(platform);
    const playback = await platform.request('GET', `/api/tracks/${trackA}/playback`, { token: listener.accessToken });
    expect(playback.status).toBe(200);
    const masterUrl = playback.body.masterUrl as string;
    expect((await fetch(masterUrl)).status).toBe(200);

    const logout = await platform.request('POST', '/api/auth/logout', { token: listener.accessToken });
    expect(logout.status).toBe(204);

    const media = await eventually(
      () => fetch(masterUrl),
      (response) => response.status === 401,
    );
    expect(media.status).toBe(401);
    const t = new URL(masterUrl).searchParams.get('t')!;
    const segment = await fetch(
      `${platform.edgeUrl}/stream/${trackA}/aac-64k/seg-00000.m4s?t=${encodeURIComponent(t)}`,
    );
    expect(segment.status).toBe(401);
    const api = await platform.request('GET', `/api/tracks/${trackA}/playback`, { token: listener.accessToken });
    expect(api.status).toBe(401);
    expect((await platform.request('GET', '/api/me', { token: listener.accessToken })).status).toBe(401);
  });
});

describe('the public surface', () => {
  it('serves the OpenAPI document generated from the contracts', async () => {
    const answer = await platform.request('GET', '/api/openapi.json');

    expect(answer.status).toBe(200);
    expect(answer.body.openapi).toBe('3.1.0');
    expect(Object.keys(answer.body.paths)).toEqual(
      expect.arrayContaining(['/api/tracks/{id}/playback', '/api/uploads']),
    );
  });

  it('sends security headers and a request id on every answer', async () => {
    const response = await fetch(`${platform.edgeUrl}/api/tracks/${trackA}`);

    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(response.headers.get('x-request-id')).toMatch(/^[\w-]{8,}$/);
  });

  it('allows CORS for configured origins only', async () => {
    const preflight = (origin: string) =>
      fetch(`${platform.edgeUrl}/api/tracks`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' },
      });
    const allowed = await preflight('http://app.example.org');
    expect(allowed.headers.get('access-control-allow-origin')).toBe('http://app.example.org');
    expect(allowed.headers.get('access-control-allow-headers')).toContain('authorization');
    const other = await preflight('http://evil.example.org');
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    const simple = await fetch(`${platform.edgeUrl}/api/tracks`, { headers: { origin: 'http://evil.example.org' } });
    expect(simple.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('operations for admins', () => {
  it('answers the ops status to an admin only', async () => {
    expect((await platform.request('GET', '/api/ops/status', { token: owner.accessToken })).status).toBe(403);
    expect((await platform.request('GET', '/api/ops/status')).status).toBe(401);

    const answer = await platform.request('GET', '/api/ops/status', { token: admin.accessToken });

    expect(answer.status).toBe(200);
    expect(Object.keys(answer.body.services)).toEqual(
      expect.arrayContaining(['identity', 'ingest', 'catalog', 'transcoder', 'edge']),
    );
    const streams = answer.body.streams as { key: string; consumers: { name: string; pending: number }[] }[];
    const ingest = streams.find((s) => s.key === 'ingest');
    expect(ingest?.consumers.map((c) => c.name)).toContain('transcoder');
    expect(ingest?.consumers.every((c) => Number.isInteger(c.pending))).toBe(true);
    expect(typeof answer.body.deadLetters).toBe('number');
  });

  it('streams bus events to an admin as Server-Sent Events, filtered by subject', async () => {
    expect((await platform.request('GET', '/api/events', { token: owner.accessToken })).status).toBe(403);
    expect((await platform.request('GET', '/api/events?subject=a b', { token: admin.accessToken })).status).toBe(400);
    const controller = new AbortController();
    const response = await fetch(`${platform.edgeUrl}/api/events?subject=playback.>`, {
      headers: { authorization: `Bearer ${admin.accessToken}` },
      signal: controller.signal,
    });
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const reader = response.body!.getReader();
    await fetch(playbackA.masterUrl);
    let text = '';
    while (!text.includes('\n\n')) {
      const { value, done } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
    controller.abort();

    const data = JSON.parse(/^data: (.*)$/m.exec(text)![1]!);
    expect(data).toMatchObject({ type: 'playback.started.v1', data: { trackId: trackA } });
    expect(data.subject).toMatch(/\.playback\.started\.v1$/);
  });
});

describe('upload rate limit', () => {
  it('answers 429 with Retry-After once the live ratelimit.upload setting is reached', async () => {
    await putSetting(platform.bus, 'ratelimit.upload', { limit: 2, windowSeconds: 3600 });
    const answer = await eventually(
      () =>
        platform.request('POST', '/api/uploads', {
          token: owner.accessToken,
          body: { filename: 'c.flac', size: 1000 },
        }),
      (a) => a.status === 429,
    );

    expect(answer.status).toBe(429);
    expect(answer.body.error.code).toBe('rate_limited');
    expect(Number(answer.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});

describe('auth rate limit', () => {
  let registrations = 0;
  const register = (address: string) =>
    platform.request('POST', '/api/auth/register', {
      headers: { 'x-forwarded-for': address },
      body: {
        email: `limited-${++registrations}-${Date.now()}@example.org`,
        password: `a long and unusual passphrase ${registrations}`,
        displayName: 'Limited',
      },
    });

  it('answers the (limit+1)th registration from one client address with 429 and Retry-After, others unaffected', async () => {
    await putSetting(platform.bus, 'ratelimit.auth', { limit: 3, windowSeconds: 900 });
    await eventually(
      () => register('192.0.2.1'),
      (a) => a.status === 429,
    );

    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await register('192.0.2.2'));
    expect(answers.map((a) => a.status)).toEqual([201, 201, 201, 429]);
    const refused = answers[3]!;
    expect(refused.body).toMatchObject({ error: { code: 'rate_limited' } });
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(900);

    expect((await register('2001:db8::2')).status).toBe(201);

    // Back to the default (seen once 192.0.2.2 is let through again), so later sign-ups from 127.0.0.1 pass.
    await putSetting(platform.bus, 'ratelimit.auth', runtimeSettings['ratelimit.auth'].default);
    expect(
      (
        await eventually(
          () => register('192.0.2.2'),
          (a) => a.status === 201,
        )
      ).status,
    ).toBe(201);
  });
});

describe('identity stopped', () => {
  it('answers 503 on account routes while tokens issued before keep working for media', async () => {
    const listener = await signUp(platform);
    await platform.identity.stop('SIGTERM');

    const login = await platform.request('POST', '/api/auth/login', {
      body: { email: listener.email, password: listener.password },
    });
    expect(login.status).toBe(503);
    expect(login.body).toMatchObject({ error: { code: 'service_unavailable' } });

    const playback = await platform.request('GET', `/api/tracks/${trackA}/playback`, { token: listener.accessToken });
    expect(playback.status).toBe(200);
    expect((await fetch(playback.body.masterUrl)).status).toBe(200);
  });
});
