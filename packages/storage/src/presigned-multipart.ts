import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  ListMultipartUploadsCommand,
  ListPartsCommand,
  S3ServiceException,
  UploadPartCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { ObjectStore } from './object-store.ts';

/** S3's smallest part (every part but the last must be at least this big). */
export const MIN_PART_SIZE = 5 * 1024 * 1024;

/** S3's largest part. */
export const MAX_PART_SIZE = 5 * 1024 ** 3;

/** S3's most parts in one upload. */
export const MAX_PARTS = 10_000;

/** A part the client may send: its number and the URL to PUT its bytes to. */
export interface PresignedPart {
  partNumber: number;
  url: string;
}

/** A part S3 has received. */
export interface ReceivedPart {
  partNumber: number;
  etag: string;
  size: number;
}

/** A multipart upload still open in the bucket. */
export interface OpenMultipartUpload {
  key: string;
  uploadId: string;
  initiatedAt: Date | undefined;
}

/** S3 refused to assemble the parts (a part missing or too small, a wrong ETag, no such upload). */
export class MultipartRefusedError extends Error {
  /** S3's error code: `InvalidPart`, `InvalidPartOrder`, `EntityTooSmall`, `NoSuchUpload`, ... */
  readonly code: string;

  constructor(code: string, message: string) {
    super(message);
    this.name = 'MultipartRefusedError';
    this.code = code;
  }
}

/**
 * The object store does not implement a multipart operation (s3rver answers ListParts and
 * AbortMultipartUpload with 405 and ListMultipartUploads with 501).
 */
export class MultipartUnsupportedError extends Error {
  readonly operation: string;

  constructor(operation: string, cause: unknown) {
    super(`the object store does not support ${operation}`, { cause });
    this.name = 'MultipartUnsupportedError';
    this.operation = operation;
  }
}

const UNSUPPORTED_CODES = new Set(['MethodNotAllowed', 'NotImplemented']);

const REFUSAL_CODES = new Set(['InvalidPart', 'InvalidPartOrder', 'EntityTooSmall', 'NoSuchUpload', 'InvalidRequest']);

function errorCode(error: unknown): string | undefined {
  if (error instanceof S3ServiceException) return error.name;
  return (error as { Code?: string; name?: string } | undefined)?.Code ?? undefined;
}

/**
 * The part size for a file: at least S3's 5 MiB, a whole number of MiB, and large enough that
 * the file fits in `targetParts` parts (never more than S3's 10 000).
 *
 * @example
 * choosePartSize(3 * 1024 ** 2); // 5 MiB: one part
 * choosePartSize(4 * 1024 ** 3); // 9 MiB: 456 parts
 */
export function choosePartSize(size: number, targetParts = 500): number {
  const mib = 1024 * 1024;
  const wanted = Math.ceil(size / Math.min(targetParts, MAX_PARTS) / mib) * mib;
  return Math.min(MAX_PART_SIZE, Math.max(MIN_PART_SIZE, wanted));
}

/** How many parts a file of `size` bytes takes with parts of `partSize` (at least one). */
export function partCount(size: number, partSize: number): number {
  return Math.max(1, Math.ceil(size / partSize));
}

/**
 * Multipart uploads written by clients straight to the bucket through presigned part URLs, so the
 * bytes never pass through a service. Keys are logical ones; the store adds its key prefix. The
 * URLs are signed with `presignClient`, whose endpoint is the one clients can reach (it may differ
 * from the one services use inside the network).
 *
 * @example
 * const uploads = new PresignedMultipart({ store, presignClient: createS3Client({ ...env, S3_ENDPOINT: publicUrl }) });
 * const uploadId = await uploads.start(objectKeys.source(trackId), 'audio/flac');
 * const parts = await uploads.presignParts(objectKeys.source(trackId), uploadId, [1, 2]);
 */
export class PresignedMultipart {
  readonly store: ObjectStore;
  readonly presignClient: S3Client;
  readonly urlTtlSeconds: number;

  constructor(options: { store: ObjectStore; presignClient?: S3Client; urlTtlSeconds?: number }) {
    this.store = options.store;
    this.presignClient = options.presignClient ?? options.store.client;
    this.urlTtlSeconds = options.urlTtlSeconds ?? 6 * 3600;
  }

  private get client(): S3Client {
    return this.store.client;
  }

  /** Opens a multipart upload for a key; answers S3's upload id. */
  async start(key: string, contentType: string): Promise<string> {
    const answer = await this.client.send(
      new CreateMultipartUploadCommand({
        Bucket: this.store.bucket,
        Key: this.store.fullKey(key),
        ContentType: contentType,
      }),
    );
    if (!answer.UploadId) throw new Error('S3 answered CreateMultipartUpload without an UploadId');
    return answer.UploadId;
  }

  /** A presigned PUT URL for each part number, valid for `urlTtlSeconds`. */
  presignParts(key: string, uploadId: string, partNumbers: number[]): Promise<PresignedPart[]> {
    return Promise.all(
      partNumbers.map(async (partNumber) => ({
        partNumber,
        url: await getSignedUrl(
          this.presignClient,
          new UploadPartCommand({
            Bucket: this.store.bucket,
            Key: this.store.fullKey(key),
            UploadId: uploadId,
            PartNumber: partNumber,
          }),
          { expiresIn: this.urlTtlSeconds },
        ),
      })),
    );
  }

  /**
   * The parts S3 has received so far, by part number; undefined when the upload is not open.
   *
   * @throws MultipartUnsupportedError when the store cannot list parts
   */
  async listParts(key: string, uploadId: string): Promise<ReceivedPart[] | undefined> {
    const parts: ReceivedPart[] = [];
    let marker: string | undefined;
    try {
      do {
        const page = await this.client.send(
          new ListPartsCommand({
            Bucket: this.store.bucket,
            Key: this.store.fullKey(key),
            UploadId: uploadId,
            ...(marker ? { PartNumberMarker: marker } : {}),
          }),
        );
        for (const part of page.Parts ?? []) {
          if (part.PartNumber === undefined) continue;
          parts.push({ partNumber: part.PartNumber, etag: part.ETag ?? '', size: part.Size ?? 0 });
        }
        marker = page.IsTruncated ? page.NextPartNumberMarker : undefined;
      } while (marker);
    } catch (error) {
      if (errorCode(error) === 'NoSuchUpload') return undefined;
      if (UNSUPPORTED_CODES.has(errorCode(error) ?? '')) throw new MultipartUnsupportedError('ListParts', error);
      throw error;
    }
    return parts.sort((a, b) => a.partNumber - b.partNumber);
  }

  /**
   * Assembles the parts into the object.
   *
   * @throws MultipartRefusedError when S3 refuses the parts or knows no such upload
   */
  async complete(key: string, uploadId: string, parts: { partNumber: number; etag: string }[]): Promise<void> {
    try {
      await this.client.send(
        new CompleteMultipartUploadCommand({
          Bucket: this.store.bucket,
          Key: this.store.fullKey(key),
          UploadId: uploadId,
          MultipartUpload: {
            Parts: [...parts]
              .sort((a, b) => a.partNumber - b.partNumber)
              .map((p) => ({ PartNumber: p.partNumber, ETag: p.etag })),
          },
        }),
      );
    } catch (error) {
      const code = errorCode(error);
      if (code && REFUSAL_CODES.has(code)) {
        throw new MultipartRefusedError(code, error instanceof Error ? error.message : String(error));
      }
      throw error;
    }
  }

  /**
   * Aborts an upload and frees its parts; aborting one that is gone is not an error. Answers
   * false when the store cannot abort uploads (its parts stay until the store removes them).
   */
  async abort(key: string, uploadId: string): Promise<boolean> {
    try {
      await this.client.send(
        new AbortMultipartUploadCommand({
          Bucket: this.store.bucket,
          Key: this.store.fullKey(key),
          UploadId: uploadId,
        }),
      );
    } catch (error) {
      if (errorCode(error) === 'NoSuchUpload') return true;
      if (UNSUPPORTED_CODES.has(errorCode(error) ?? '')) return false;
      throw error;
    }
    return true;
  }

  /**
   * The multipart uploads still open under a logical prefix.
   *
   * @throws MultipartUnsupportedError when the store cannot list uploads
   */
  async listOpen(prefix: string): Promise<OpenMultipartUpload[]> {
    const open: OpenMultipartUpload[] = [];
    let keyMarker: string | undefined;
    let uploadIdMarker: string | undefined;
    do {
      const page = await this.client
        .send(
          new ListMultipartUploadsCommand({
            Bucket: this.store.bucket,
            Prefix: this.store.fullKey(prefix),
            ...(keyMarker ? { KeyMarker: keyMarker } : {}),
            ...(uploadIdMarker ? { UploadIdMarker: uploadIdMarker } : {}),
          }),
        )
        .catch((error: unknown) => {
          if (UNSUPPORTED_CODES.has(errorCode(error) ?? '')) {
            throw new MultipartUnsupportedError('ListMultipartUploads', error);
          }
          throw error;
        });
      for (const upload of page.Uploads ?? []) {
        if (!upload.Key || !upload.UploadId) continue;
        open.push({
          key: upload.Key.slice(this.store.keyPrefix.length),
          uploadId: upload.UploadId,
          initiatedAt: upload.Initiated,
        });
      }
      keyMarker = page.IsTruncated ? page.NextKeyMarker : undefined;
      uploadIdMarker = page.IsTruncated ? page.NextUploadIdMarker : undefined;
    } while (keyMarker);
    return open;
  }
}
