import {
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  NotFound,
  NoSuchKey,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { Readable } from 'node:stream';

/** What is known about a stored object without reading it. */
export interface ObjectInfo {
  size: number;
  etag: string | undefined;
  contentType: string | undefined;
}

/**
 * The bucket as the platform uses it: keys are the logical ones from `objectKeys` in contracts;
 * the store adds the install's key prefix. Every S3 call of the platform goes through here or
 * through the same client.
 *
 * @example
 * const store = new ObjectStore({ client, bucket: 'tonearm', keyPrefix: '' });
 * await store.put(objectKeys.waveform(trackId), JSON.stringify(peaks), 'application/json');
 */
export class ObjectStore {
  readonly client: S3Client;
  readonly bucket: string;
  readonly keyPrefix: string;

  constructor(options: { client: S3Client; bucket: string; keyPrefix?: string }) {
    this.client = options.client;
    this.bucket = options.bucket;
    this.keyPrefix = options.keyPrefix ?? '';
  }

  /** The key in the bucket of a logical key. */
  fullKey(key: string): string {
    return this.keyPrefix + key;
  }

  async put(key: string, body: Uint8Array | string, contentType: string, cacheControl?: string): Promise<void> {
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: this.fullKey(key),
        Body: body,
        ContentType: contentType,
        ...(cacheControl ? { CacheControl: cacheControl } : {}),
      }),
    );
  }

  /** The object's size, ETag and type, or undefined when there is none. */
  async head(key: string): Promise<ObjectInfo | undefined> {
    try {
      const answer = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: this.fullKey(key) }));
      return { size: answer.ContentLength ?? 0, etag: answer.ETag, contentType: answer.ContentType };
    } catch (error) {
      if (error instanceof NotFound || error instanceof NoSuchKey) return undefined;
      throw error;
    }
  }

  /** The object's bytes (or the byte range, HTTP `Range` syntax) as a stream, or undefined when there is none. */
  async read(
    key: string,
    range?: string,
  ): Promise<(ObjectInfo & { body: Readable; contentRange?: string }) | undefined> {
    try {
      const answer = await this.client.send(
        new GetObjectCommand({ Bucket: this.bucket, Key: this.fullKey(key), ...(range ? { Range: range } : {}) }),
      );
      return {
        body: answer.Body as Readable,
        size: answer.ContentLength ?? 0,
        etag: answer.ETag,
        contentType: answer.ContentType,
        ...(answer.ContentRange ? { contentRange: answer.ContentRange } : {}),
      };
    } catch (error) {
      if (error instanceof NoSuchKey || error instanceof NotFound) return undefined;
      throw error;
    }
  }

  /** The whole object in memory; for small objects such as playlists and peaks. */
  async readBytes(key: string): Promise<Uint8Array | undefined> {
    const object = await this.read(key);
    if (!object) return undefined;
    const chunks: Buffer[] = [];
    for await (const chunk of object.body) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }

  /** The logical keys under a prefix, oldest listing order as S3 gives it. */
  async list(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await this.client.send(
        new ListObjectsV2Command({ Bucket: this.bucket, Prefix: this.fullKey(prefix), ContinuationToken: token }),
      );
      for (const object of page.Contents ?? []) if (object.Key) keys.push(object.Key.slice(this.keyPrefix.length));
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return keys;
  }

  /** Deletes every object under a prefix, a thousand at a time; returns how many. */
  async deletePrefix(prefix: string): Promise<number> {
    const keys = await this.list(prefix);
    for (let i = 0; i < keys.length; i += 1000) {
      const batch = keys.slice(i, i + 1000).map((key) => ({ Key: this.fullKey(key) }));
      await this.client.send(
        new DeleteObjectsCommand({ Bucket: this.bucket, Delete: { Objects: batch, Quiet: true } }),
      );
    }
    return keys.length;
  }
}
