import { RpcError, type SettingsStore } from '@tonearm/bus';
import { objectKeys, type Principal, type UploadStatus } from '@tonearm/contracts';
import { currentContext, type Logger } from '@tonearm/runtime';
import {
  choosePartSize,
  MultipartRefusedError,
  MultipartUnsupportedError,
  partCount,
  type PresignedMultipart,
  type ReceivedPart,
} from '@tonearm/storage';
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type {
  completeUploadRequestSchema,
  completeUploadResponseSchema,
  createUploadRequestSchema,
  createUploadResponseSchema,
  uploadStateSchema,
} from '@tonearm/contracts';
import type { UploadSessionRow } from '../database/schema.ts';
import type { UploadSessionRepository } from '../repositories/upload-session.repository.ts';
import type { UploadCompletionService } from './upload-completion.service.ts';

type CreateInput = z.infer<typeof createUploadRequestSchema>;
type CompleteInput = z.infer<typeof completeUploadRequestSchema>;

/** What the session service needs. */
export interface UploadSessionDeps {
  sessions: UploadSessionRepository;
  multipart: PresignedMultipart;
  completion: UploadCompletionService;
  settings: Pick<SettingsStore, 'get'>;
  logger: Logger;
}

function numbers(list: number[]): string {
  return list.length > 10 ? `${list.slice(0, 10).join(', ')} and ${list.length - 10} more` : list.join(', ');
}

function range(count: number): number[] {
  return Array.from({ length: count }, (_, i) => i + 1);
}

function publicStatus(status: UploadSessionRow['status']): UploadStatus {
  return status === 'deleted' ? 'completed' : status;
}

/**
 * Upload sessions as their owner sees them: open one with presigned part URLs, look at what
 * arrived, complete, abort. Every operation answers `not_found` for another user's upload.
 *
 * @example
 * const { uploadId, parts } = await uploads.create(principal, { filename: 'a.flac', size: 1234 });
 */
export class UploadSessionService {
  private readonly deps: UploadSessionDeps;

  constructor(deps: UploadSessionDeps) {
    this.deps = deps;
  }

  async create(principal: Principal, input: CreateInput): Promise<z.infer<typeof createUploadResponseSchema>> {
    const { sessions, multipart, settings } = this.deps;
    if (input.size === 0) throw new RpcError('invalid_request', 'the file is empty');
    const maxBytes = settings.get('upload.maxBytes');
    if (input.size > maxBytes) {
      throw new RpcError(
        'payload_too_large',
        `the file is ${input.size} bytes; the largest upload accepted is ${maxBytes} bytes`,
        { maxBytes },
      );
    }
    const rate = settings.get('ratelimit.upload');
    const windowMs = rate.windowSeconds * 1000;
    const opened = await sessions.countOpenedSince(principal.userId, new Date(Date.now() - windowMs));
    if (opened.count >= rate.limit) {
      const retryAfterSeconds = Math.max(
        1,
        Math.ceil(((opened.oldest?.getTime() ?? Date.now()) + windowMs - Date.now()) / 1000),
      );
      throw new RpcError(
        'rate_limited',
        `you opened ${opened.count} uploads in the last ${rate.windowSeconds} seconds; the limit is ${rate.limit}`,
        { retryAfterSeconds },
      );
    }
    if (input.sha256) {
      const trackId = await sessions.findCompletedTrack(principal.userId, input.sha256);
      if (trackId) throw new RpcError('conflict', 'this file is already in your library', { trackId });
    }
    const uploadId = randomUUID();
    const trackId = randomUUID();
    const partSize = choosePartSize(input.size);
    const count = partCount(input.size, partSize);
    const contentType = input.contentType ?? 'application/octet-stream';
    const key = objectKeys.source(trackId);
    const s3UploadId = await multipart.start(key, contentType);
    await sessions.insert({
      uploadId,
      trackId,
      ownerId: principal.userId,
      filename: input.filename,
      size: input.size,
      contentType,
      declaredSha256: input.sha256 ?? null,
      partSize,
      partCount: count,
      s3UploadId,
      status: 'uploading',
      correlationId: currentContext()?.correlationId ?? uploadId,
      eventId: randomUUID(),
    });
    this.deps.logger.info({ uploadId, trackId, size: input.size, parts: count }, 'upload session opened');
    return { uploadId, trackId, partSize, parts: await multipart.presignParts(key, s3UploadId, range(count)) };
  }

  async get(principal: Principal, uploadId: string): Promise<z.infer<typeof uploadStateSchema>> {
    const session = await this.owned(principal, uploadId);
    const key = objectKeys.source(session.trackId);
    const listed = session.status === 'uploading' ? await this.receivedParts(session) : [];
    const received = Array.isArray(listed) ? listed : [];
    const have = new Set(received.map((p) => p.partNumber));
    const missing = session.status === 'uploading' ? range(session.partCount).filter((n) => !have.has(n)) : [];
    return {
      uploadId: session.uploadId,
      trackId: session.trackId,
      status: publicStatus(session.status),
      filename: session.filename,
      size: session.size,
      partSize: session.partSize,
      partCount: session.partCount,
      parts: received,
      missingParts: await this.deps.multipart.presignParts(key, session.s3UploadId, missing),
      ...(session.reason ? { reason: session.reason } : {}),
      ...(session.duplicateOf ? { duplicateOf: session.duplicateOf } : {}),
    };
  }

  /**
   * Checks what can be seen at once (every part there, the declared size), assembles the object
   * and starts the content checks, whose outcome comes as an event.
   */
  async complete(principal: Principal, input: CompleteInput): Promise<z.infer<typeof completeUploadResponseSchema>> {
    const { multipart, sessions, completion } = this.deps;
    const session = await this.owned(principal, input.uploadId);
    const accepted = { trackId: session.trackId, status: 'processing' as const };
    if (session.status === 'processing' || session.status === 'completed') return accepted;
    if (session.status !== 'uploading') throw this.closed(session);

    const given = new Map<number, string>();
    for (const part of input.parts) {
      if (given.has(part.partNumber)) {
        throw new RpcError('invalid_request', `part ${part.partNumber} is listed twice`);
      }
      given.set(part.partNumber, part.etag);
    }
    const expected = range(session.partCount);
    const unlisted = expected.filter((n) => !given.has(n));
    const unexpected = [...given.keys()].filter((n) => n > session.partCount).sort((a, b) => a - b);
    if (unlisted.length > 0 || unexpected.length > 0) {
      throw new RpcError(
        'invalid_request',
        unlisted.length > 0
          ? `parts missing: ${numbers(unlisted)} of ${session.partCount}`
          : `this upload has ${session.partCount} parts; there is no part ${numbers(unexpected)}`,
        { missing: unlisted, unexpected },
      );
    }

    const key = objectKeys.source(session.trackId);
    const received = await this.receivedParts(session);
    if (received === undefined) throw this.closed((await sessions.find(session.uploadId)) ?? session);
    // Without ListParts (s3rver) the store checks the parts when assembling, and the size is
    // checked with the content, ending in a failed event rather than this answer.
    if (received !== 'unknown') {
      const byNumber = new Map(received.map((p) => [p.partNumber, p]));
      const notReceived = expected.filter((n) => !byNumber.has(n));
      if (notReceived.length > 0) {
        throw new RpcError('invalid_request', `parts missing: ${numbers(notReceived)} never arrived; send them again`, {
          missing: notReceived,
        });
      }
      const wrongEtag = expected.filter((n) => byNumber.get(n)!.etag !== given.get(n));
      if (wrongEtag.length > 0) {
        throw new RpcError('invalid_request', `the ETag of part ${numbers(wrongEtag)} differs from the one stored`, {
          parts: wrongEtag,
        });
      }
      const arrived = expected.reduce((sum, n) => sum + byNumber.get(n)!.size, 0);
      if (arrived !== session.size) {
        const reason = `size mismatch: ${session.size} bytes were declared but ${arrived} arrived`;
        await multipart.abort(key, session.s3UploadId);
        await completion.refuse(session, reason, { from: ['uploading'] });
        throw new RpcError('invalid_request', reason, { declared: session.size, received: arrived });
      }
    }
    if (session.declaredSha256) {
      const trackId = await sessions.findCompletedTrack(session.ownerId, session.declaredSha256);
      if (trackId) {
        await multipart.abort(key, session.s3UploadId);
        await completion.refuse(session, `this file is already in your library (track ${trackId})`, {
          from: ['uploading'],
          duplicateOf: trackId,
        });
        throw new RpcError('conflict', 'this file is already in your library', { trackId });
      }
    }

    try {
      await multipart.complete(
        key,
        session.s3UploadId,
        expected.map((n) => ({ partNumber: n, etag: given.get(n)! })),
      );
    } catch (error) {
      if (!(error instanceof MultipartRefusedError)) throw error;
      const now = await sessions.find(session.uploadId);
      if (now && (now.status === 'processing' || now.status === 'completed')) return accepted;
      if (error.code === 'EntityTooSmall') {
        throw new RpcError('invalid_request', `every part but the last must be ${session.partSize} bytes`);
      }
      if (error.code === 'NoSuchUpload') throw this.closed(now ?? session);
      throw new RpcError('invalid_request', `the object store refused the parts: ${error.message}`);
    }
    const processing = await sessions.transition(session.uploadId, ['uploading'], { status: 'processing' });
    if (processing) completion.start(processing);
    return accepted;
  }

  async abort(principal: Principal, uploadId: string): Promise<{ uploadId: string; status: 'aborted' }> {
    const session = await this.owned(principal, uploadId);
    const answer = { uploadId, status: 'aborted' as const };
    if (session.status === 'processing' || session.status === 'completed') {
      throw new RpcError('conflict', 'the upload is complete; delete the track instead');
    }
    if (session.status !== 'uploading') return answer;
    if (!(await this.deps.multipart.abort(objectKeys.source(session.trackId), session.s3UploadId))) {
      this.deps.logger.warn({ uploadId }, 'the object store cannot abort multipart uploads; its parts stay there');
    }
    await this.deps.multipart.store.deletePrefix(objectKeys.source(session.trackId));
    await this.deps.sessions.transition(uploadId, ['uploading'], { status: 'aborted', reason: 'aborted by the owner' });
    this.deps.logger.info({ uploadId, trackId: session.trackId }, 'upload aborted');
    return answer;
  }

  /** The parts received, undefined when the upload is gone, `unknown` when the store cannot list them. */
  private async receivedParts(session: UploadSessionRow): Promise<ReceivedPart[] | undefined | 'unknown'> {
    try {
      return await this.deps.multipart.listParts(objectKeys.source(session.trackId), session.s3UploadId);
    } catch (error) {
      if (error instanceof MultipartUnsupportedError) return 'unknown';
      throw error;
    }
  }

  private async owned(principal: Principal, uploadId: string): Promise<UploadSessionRow> {
    const session = await this.deps.sessions.findOwned(uploadId, principal.userId);
    if (!session || session.status === 'deleted') throw new RpcError('not_found', 'no such upload');
    return session;
  }

  private closed(session: UploadSessionRow): RpcError {
    if (session.status === 'failed') {
      return new RpcError('conflict', `the upload was refused: ${session.reason ?? 'unknown reason'}`, {
        ...(session.duplicateOf ? { trackId: session.duplicateOf } : {}),
      });
    }
    if (session.status === 'expired') return new RpcError('conflict', 'the upload expired; start a new one');
    return new RpcError('conflict', 'the upload was aborted; start a new one');
  }
}
