import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The part of s3rver 3.7 (which ships no types) used here. */
interface S3rverInstance {
  /** Creates the configured buckets and applies their configurations. */
  configureBuckets(): Promise<unknown>;
  /** The Koa request handler, for an HTTP server of ours (its own `run` loses bind errors). */
  callback(): (request: IncomingMessage, response: ServerResponse) => void;
}
type S3rverConstructor = new (options: {
  silent: boolean;
  directory: string;
  vhostBuckets: boolean;
  configureBuckets: Array<{ name: string; configs: string[] }>;
}) => S3rverInstance;

const S3rver = createRequire(import.meta.url)('s3rver') as S3rverConstructor;

/** Options of {@link startLocalS3}. */
export interface LocalS3Options {
  /** Port to listen on; 0 (the default) picks a free one. */
  port?: number;
  /** Interface to bind; loopback unless said otherwise. */
  host?: string;
  /** Where objects are kept. Without one a temporary directory is made and removed on stop. */
  directory?: string;
  /** Buckets that exist once the server answers. */
  buckets?: string[];
}

/** A running local S3-compatible server. */
export interface LocalS3 {
  /** Base URL for an S3 client with `forcePathStyle: true`, e.g. `http://127.0.0.1:41234`. */
  endpoint: string;
  /** Stops the server (and removes its directory when it made a temporary one). */
  stop(): Promise<void>;
}

/** The only key pair s3rver accepts: signatures are checked against it. */
export const localS3Credentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;

/** The region clients of the local server sign for. */
export const localS3Region = 'us-east-1';

/**
 * Lets browsers PUT parts to presigned URLs from any origin and read the ETag that completing
 * a multipart upload needs.
 */
const corsConfiguration = `<CORSConfiguration>
  <CORSRule>
    <AllowedOrigin>*</AllowedOrigin>
    <AllowedMethod>GET</AllowedMethod>
    <AllowedMethod>HEAD</AllowedMethod>
    <AllowedMethod>PUT</AllowedMethod>
    <AllowedMethod>POST</AllowedMethod>
    <AllowedMethod>DELETE</AllowedMethod>
    <AllowedHeader>*</AllowedHeader>
    <ExposeHeader>ETag</ExposeHeader>
    <MaxAgeSeconds>3000</MaxAgeSeconds>
  </CORSRule>
</CORSConfiguration>`;

const closeGraceMs = 2_000;

/**
 * Starts s3rver in this process: an S3-compatible server on loopback for development and tests,
 * with CORS open to every origin so browsers can upload to presigned URLs.
 *
 * @example
 * const s3 = await startLocalS3({ buckets: ['tonearm'] });
 * const client = new S3Client({ endpoint: s3.endpoint, forcePathStyle: true, region: localS3Region, credentials: localS3Credentials });
 * await s3.stop();
 */
export async function startLocalS3(options: LocalS3Options = {}): Promise<LocalS3> {
  const host = options.host ?? '127.0.0.1';
  const temporary = options.directory === undefined;
  const directory = options.directory ?? (await mkdtemp(join(tmpdir(), 'tonearm-s3-')));
  await mkdir(directory, { recursive: true });
  const s3rver = new S3rver({
    silent: true,
    directory,
    vhostBuckets: false,
    configureBuckets: (options.buckets ?? []).map((name) => ({ name, configs: [corsConfiguration] })),
  });
  let server: Server;
  let address: AddressInfo;
  try {
    await s3rver.configureBuckets();
    server = createServer(s3rver.callback());
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    address = server.address() as AddressInfo;
  } catch (error) {
    if (temporary) await rm(directory, { recursive: true, force: true });
    throw error;
  }
  const endpointHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  let stopped: Promise<void> | undefined;
  return {
    endpoint: `http://${endpointHost}:${address.port}`,
    stop() {
      stopped ??= (async () => {
        const closing = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        const forceClose = setTimeout(() => server.closeAllConnections(), closeGraceMs);
        try {
          await closing;
        } finally {
          clearTimeout(forceClose);
          if (temporary) await rm(directory, { recursive: true, force: true });
        }
      })();
      return stopped;
    },
  };
}
