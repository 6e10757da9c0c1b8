import {
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsCommand,
  NotFound,
  NoSuchKey,
  PutObjectCommand,
  S3ServiceException,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';

/** How many times {@link ObjectStore.deletePrefix} sends one batch before giving up on InternalError. */
const deleteBatchAttempts = 5;

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

  /**
   * The logical keys under a prefix, in the order S3 lists them (by key), each once.
   *
   * Pages come from ListObjects (v1), each asked for with `Marker` = the last key of the one
   * before, which AWS S3, MinIO, moto and s3rver all answer. Not ListObjectsV2: s3rver, the local
   * server of development and tests, encrypts its continuation tokens with DES, which the
   * OpenSSL 3 of Node 24 refuses, so every truncated V2 page (past 1000 keys) answers
   * InternalError, whether it is asked for with a token or with `StartAfter`.
   */
  async list(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    let marker: string | undefined;
    for (;;) {
      const page = await this.client.send(
        new ListObjectsCommand({
          Bucket: this.bucket,
          Prefix: this.fullKey(prefix),
          ...(marker === undefined ? {} : { Marker: marker }),
        }),
      );
      const pageKeys = (page.Contents ?? []).flatMap((object) => (object.Key ? [object.Key] : []));
      for (const key of pageKeys) keys.push(key.slice(this.keyPrefix.length));
      if (!page.IsTruncated) return keys;
      // Without a last key the next page cannot be asked for; going on would repeat this one forever.
      if (pageKeys.length === 0) throw new Error(`listing of ${this.fullKey(prefix)} is truncated but has no keys`);
      marker = pageKeys.at(-1);
    }
  }

  /**
   * Deletes every object under a prefix, a thousand at a time; returns how many. Rejects when S3
   * answers that it kept any of them.
   *
   * A batch answered with InternalError is sent again, a few times: s3rver deletes the keys of
   * one request concurrently, and two that empty the same directory race to remove it, failing
   * the request although the objects are gone (it skips keys that no longer exist, so resending
   * deletes only what is left). On S3 itself InternalError is transient and worth the retry too.
   */
  async deletePrefix(prefix: string): Promise<number> {
    const keys = await this.list(prefix);
    for (let i = 0; i < keys.length; i += 1000) {
      await this.deleteBatch(keys.slice(i, i + 1000).map((key) => ({ Key: this.fullKey(key) })));
    }
    return keys.length;
  }

  private async deleteBatch(objects: Array<{ Key: string }>): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        const answer = await this.client.send(
          new DeleteObjectsCommand({ Bucket: this.bucket, Delete: { Objects: objects, Quiet: true } }),
        );
        // A 200 can still list keys S3 kept (access denied, object lock): the caller must not count them gone.
        const kept = answer.Errors ?? [];
        if (kept.length > 0) {
          const first = kept[0]!;
          throw new Error(
            `S3 did not delete ${kept.length} of ${objects.length} objects, first ${first.Key}: ${first.Code} ${first.Message ?? ''}`.trim(),
          );
        }
        return;
      } catch (error) {
        const internal = error instanceof S3ServiceException && error.name === 'InternalError';
        if (!internal || attempt >= deleteBatchAttempts) throw error;
        await sleep(100 * attempt);
      }
    }
  }
}
