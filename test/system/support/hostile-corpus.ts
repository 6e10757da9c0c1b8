/** One hostile request and what must come back. */
export interface HostileCase {
  name: string;
  method: string;
  path: string;
  /** Sent as is (a string) or as JSON. */
  body?: unknown;
  headers?: Record<string, string>;
  /** Which bearer token to send, by role in the corpus. */
  as?: 'attacker' | 'none' | 'forged';
  forged?: string;
  /** `error`: a 4xx with the API's error body. `answer`: a 2xx JSON answer or such an error (queries that may legitimately match nothing). */
  expect: 'error' | 'answer';
}

/** Route templates of the public API; `:id` stands for an id of the victim's or a hostile string. */
export const jsonRoutes: { method: string; path: string; as: 'attacker' | 'none' }[] = [
  { method: 'POST', path: '/api/auth/register', as: 'none' },
  { method: 'POST', path: '/api/auth/login', as: 'none' },
  { method: 'POST', path: '/api/auth/refresh', as: 'none' },
  { method: 'POST', path: '/api/tokens', as: 'attacker' },
  { method: 'POST', path: '/api/uploads', as: 'attacker' },
  { method: 'POST', path: '/api/uploads/:upload/complete', as: 'attacker' },
  { method: 'POST', path: '/api/tracks/:track/playback/events', as: 'attacker' },
];

/** Every route that needs a signed-in caller. */
export const protectedRoutes: { method: string; path: string }[] = [
  { method: 'GET', path: '/api/me' },
  { method: 'POST', path: '/api/auth/logout' },
  { method: 'GET', path: '/api/tokens' },
  { method: 'POST', path: '/api/tokens' },
  { method: 'DELETE', path: '/api/tokens/:token' },
  { method: 'POST', path: '/api/uploads' },
  { method: 'GET', path: '/api/uploads/:upload' },
  { method: 'POST', path: '/api/uploads/:upload/complete' },
  { method: 'DELETE', path: '/api/uploads/:upload' },
  { method: 'GET', path: '/api/tracks' },
  { method: 'GET', path: '/api/tracks/:track' },
  { method: 'DELETE', path: '/api/tracks/:track' },
  { method: 'GET', path: '/api/tracks/:track/playback' },
  { method: 'GET', path: '/api/tracks/:track/waveform' },
  { method: 'POST', path: '/api/tracks/:track/playback/events' },
  { method: 'GET', path: '/api/artists' },
  { method: 'GET', path: '/api/albums' },
  { method: 'GET', path: '/api/search?q=a' },
  { method: 'GET', path: '/api/ops/status' },
  { method: 'GET', path: '/api/events' },
  { method: 'GET', path: '/stream/:track/master.m3u8' },
];

/** Bodies that are not the JSON object a route takes. */
export const malformedBodies: [string, string][] = [
  ['truncated JSON', '{"email": "a@b.c", "password": '],
  ['a JSON array', '[1, 2, 3]'],
  ['JSON null', 'null'],
  ['a JSON string', '"just a string"'],
  ['a number', '42'],
  ['trailing garbage', '{"a": 1} trailing'],
  ['single quotes', "{'email': 'a@b.c'}"],
  ['NUL bytes', '{"email": "a\u0000@b.c", "password": "\u0000\u0000"}'],
  ['deep nesting', `${'['.repeat(20_000)}${']'.repeat(20_000)}`],
  ['a lone surrogate', '{"email": "\\ud800@b.c", "password": "\\udfff", "displayName": "\\ud800"}'],
  ['an empty body', ''],
  ['prototype pollution', '{"__proto__": {"admin": true}, "constructor": {"prototype": {"roles": ["admin"]}}}'],
];

/** Strings that have broken parsers, SQL, paths and logs before. */
export const hostileStrings: string[] = [
  "' OR '1'='1' --",
  "'; DROP TABLE tracks; --",
  '" OR ""="',
  '../../../../etc/passwd',
  '..%2F..%2F..%2Fetc%2Fpasswd',
  '%2e%2e%2f%2e%2e%2f',
  '/etc/passwd',
  'sources/../hls/x',
  '\u0000',
  '\u202Egnp.exe',
  '\u200B\u200D\uFEFF',
  '🎵'.repeat(500),
  'Z\u0351\u0352\u0353\u0354\u0355\u0356\u0357\u0358',
  '${jndi:ldap://x}',
  '{{7*7}}',
  '<script>alert(1)</script>',
  '%',
  '\\',
  'x'.repeat(10_000),
];

/** Values of the wrong type for any field. */
export const wrongTypes: unknown[] = [null, 0, -1, 1e308, true, [], {}, ['a'], { $gt: '' }, 'NaN', '-1'];

/** A few field sets per JSON route, each field then given wrong types and hostile strings. */
export const routeFields: Record<string, Record<string, unknown>> = {
  '/api/auth/register': { email: 'new@system.test', password: 'a long enough password', displayName: 'New' },
  '/api/auth/login': { email: 'nobody@system.test', password: 'a long enough password' },
  '/api/auth/refresh': { refreshToken: 'not-a-refresh-token' },
  '/api/tokens': { name: 'cli', scopes: ['ingest'] },
  '/api/uploads': { filename: 'a.flac', size: 1000, contentType: 'audio/flac' },
  '/api/uploads/:upload/complete': { parts: [{ partNumber: 1, etag: '"x"' }] },
  '/api/tracks/:track/playback/events': { type: 'progressed', positionMs: 1000 },
};

/** JWTs an attacker can make without the signing key. */
export function forgedTokens(realToken: string, victimUserId: string): [string, string][] {
  const [header, payload] = realToken.split('.') as [string, string, string];
  const decode = (part: string) =>
    JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const claims = decode(payload);
  const signature = realToken.split('.')[2]!;
  return [
    ['alg none', `${encode({ alg: 'none', typ: 'JWT' })}.${encode({ ...claims, sub: victimUserId })}.`],
    ['HS256 signed with the public key id', `${encode({ ...decode(header), alg: 'HS256' })}.${payload}.${signature}`],
    ['the victim as subject, old signature', `${header}.${encode({ ...claims, sub: victimUserId })}.${signature}`],
    ['admin role added, old signature', `${header}.${encode({ ...claims, roles: ['user', 'admin'] })}.${signature}`],
    ['a far future expiry, old signature', `${header}.${encode({ ...claims, exp: 4_102_444_800 })}.${signature}`],
    ['an unknown key id', `${encode({ ...decode(header), kid: '../../keys/x' })}.${payload}.${signature}`],
    ['a signature cut short', realToken.slice(0, -10)],
    ['garbage', 'not.a.jwt'],
    ['an empty bearer', ''],
    ['a fake API token', 'tnr_' + 'A'.repeat(40)],
    ['two tokens', `${realToken} ${realToken}`],
  ];
}

/**
 * Breaches the corpus found in the apps that are not fixed yet, each with the bug it shows. The
 * suite reports them instead of failing; any other breach fails it.
 */
export const knownBugs: { pattern: RegExp; bug: string }[] = [];
