import { RpcError, type RpcContext } from '@tonearm/bus';
import { abortUploadRpc, completeUploadRpc, createUploadRpc, getUploadRpc, type Principal } from '@tonearm/contracts';
import type { RunningService } from '@tonearm/service-host';
import type { UploadSessionService } from '../services/upload-session.service.ts';

function caller(context: RpcContext): Principal {
  if (!context.principal) throw new RpcError('unauthorized', 'sign in first');
  return context.principal;
}

/**
 * Serves the upload operations; each hands the caller and the validated input to the service.
 *
 * @example
 * serveUploadRpcs(service, uploads);
 */
export function serveUploadRpcs(service: Pick<RunningService, 'serve'>, uploads: UploadSessionService): void {
  service.serve(createUploadRpc, (input, context) => uploads.create(caller(context), input));
  service.serve(getUploadRpc, (input, context) => uploads.get(caller(context), input.uploadId));
  service.serve(completeUploadRpc, (input, context) => uploads.complete(caller(context), input));
  service.serve(abortUploadRpc, (input, context) => uploads.abort(caller(context), input.uploadId));
}
