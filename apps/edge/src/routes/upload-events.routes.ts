import { callRpc, type Bus } from '@tonearm/bus';
import { getTrackRpc, type EventData, type Track, type UploadStatusEvent } from '@tonearm/contracts';
import { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import { AuthenticationError, type Authenticator } from '../auth/authenticator.ts';
import { auth, bearerOf, type AuthVariables } from '../middleware/auth.middleware.ts';

/** A bus event reduced to what the upload stream needs: whose track, and its new status. */
export interface UploadStatusChange {
  /** The owner when the event names it; transcoder events do not. */
  ownerId: string | undefined;
  status: UploadStatusEvent;
}

/**
 * The upload status a bus event means for its track, or undefined for an event that says nothing
 * about one.
 *
 * @example
 * uploadStatusOf('transcode.failed.v1', { trackId, reason: 'not an audio file' })
 * // { ownerId: undefined, status: { trackId, status: 'failed', reason: 'not an audio file' } }
 */
export function uploadStatusOf(type: string, data: unknown): UploadStatusChange | undefined {
  switch (type) {
    case 'ingest.upload.completed.v1': {
      const event = data as EventData<'ingest.upload.completed.v1'>;
      return {
        ownerId: event.ownerId,
        status: {
          trackId: event.trackId,
          status: 'processing',
          filename: event.source.filename,
          title: event.tags.title,
        },
      };
    }
    case 'ingest.upload.failed.v1': {
      const event = data as EventData<'ingest.upload.failed.v1'>;
      return {
        ownerId: event.ownerId,
        status: {
          trackId: event.trackId,
          status: 'failed',
          filename: event.filename,
          reason: event.reason,
          ...(event.duplicateOf ? { duplicateOf: event.duplicateOf } : {}),
        },
      };
    }
    case 'transcode.progressed.v1': {
      const event = data as EventData<'transcode.progressed.v1'>;
      return { ownerId: undefined, status: { trackId: event.trackId, status: 'transcoding', percent: event.percent } };
    }
    case 'transcode.completed.v1': {
      const event = data as EventData<'transcode.completed.v1'>;
      return { ownerId: undefined, status: { trackId: event.trackId, status: 'ready' } };
    }
    case 'transcode.failed.v1': {
      const event = data as EventData<'transcode.failed.v1'>;
      return { ownerId: undefined, status: { trackId: event.trackId, status: 'failed', reason: event.reason } };
    }
    case 'catalog.track.deleted.v1': {
      const event = data as EventData<'catalog.track.deleted.v1'>;
      return { ownerId: event.ownerId, status: { trackId: event.trackId, status: 'deleted' } };
    }
    default:
      return undefined;
  }
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;
const keepAliveMs = 20_000;
const readyChecks = 20;
const readyCheckPauseMs = 100;

/**
 * `GET /api/uploads/events`: Server-Sent Events of the caller's own uploads (`status` events whose
 * data is an `UploadStatusEvent`), pushed as ingest, the transcoder and the catalog announce them.
 * Events that name no owner are matched through the catalog's track owner, remembered for the
 * stream. The token is checked again with every event and keep-alive, so a sign-out ends the
 * stream. An `open` event says the subscription is live.
 */
export function uploadEventsRoutes(deps: { bus: Bus; authenticator: Authenticator; rpcTimeoutMs: number }) {
  const { bus } = deps;
  const namespace = bus.topology.namespace;
  const subjects = ['ingest.upload.>', 'transcode.>', 'catalog.track.>'].map((subject) => `${namespace}.${subject}`);
  return new Hono<{ Variables: AuthVariables }>().get(
    '/events',
    auth(deps.authenticator, { required: true, scope: 'ingest' }),
    (c) => {
      const principal = c.var.caller!.principal;
      const bearer = bearerOf(c.req.header('authorization'))!;
      const owned = new Map<string, boolean>();
      const trackOf = (trackId: string) =>
        callRpc(bus, getTrackRpc, { id: trackId }, { principal, timeoutMs: deps.rpcTimeoutMs }).catch(
          () => undefined,
        ) as Promise<Track | undefined>;
      const ownedByCaller = async (change: UploadStatusChange) => {
        if (change.ownerId !== undefined) return change.ownerId === principal.userId;
        const known = owned.get(change.status.trackId);
        if (known !== undefined) return known;
        const track = await trackOf(change.status.trackId);
        // A track the catalog does not know yet is not remembered: a later event asks again.
        if (track) owned.set(track.id, track.owner.id === principal.userId);
        return track?.owner.id === principal.userId;
      };
      return streamSSE(c, async (stream) => {
        const stillSignedIn = () =>
          deps.authenticator.authenticate(bearer).then(
            () => true,
            (error: unknown) => {
              if (error instanceof AuthenticationError && error.code === 'unauthorized') return false;
              return true;
            },
          );
        let chain: Promise<void> = Promise.resolve();
        let closed = false;
        let ended: () => void = () => undefined;
        const end = new Promise<void>((resolve) => {
          ended = resolve;
        });
        const close = () => {
          closed = true;
          ended();
          for (const subscription of subscriptions) subscription.unsubscribe();
          clearInterval(keepAlive);
        };
        const handle = async (payload: unknown) => {
          if (closed || !isRecord(payload) || typeof payload.type !== 'string') return;
          const change = uploadStatusOf(payload.type, payload.data);
          if (!change || !(await ownedByCaller(change))) return;
          if (change.ownerId !== undefined) owned.set(change.status.trackId, change.ownerId === principal.userId);
          if (!(await stillSignedIn())) return close();
          const status = change.status.status === 'ready' ? await withReadyTrack(change.status) : change.status;
          await stream.writeSSE({ id: String(payload.id), event: 'status', data: JSON.stringify(status) });
        };
        // The transcoder's "completed" can precede the catalog's projection by a moment; the pushed
        // "ready" waits for it so the browser can play the track at once.
        const withReadyTrack = async (status: UploadStatusEvent): Promise<UploadStatusEvent> => {
          for (let check = 0; check < readyChecks; check += 1) {
            const track = await trackOf(status.trackId);
            if (track?.status === 'ready') return { ...status, title: track.title, track };
            await new Promise((resolve) => setTimeout(resolve, readyCheckPauseMs));
          }
          return status;
        };
        const subscriptions: ReturnType<Bus['nc']['subscribe']>[] = subjects.map((subject) =>
          bus.nc.subscribe(subject, {
            callback: (error, message) => {
              if (error) return;
              let payload: unknown;
              try {
                payload = message.json();
              } catch {
                return;
              }
              chain = chain
                .then(() => handle(payload))
                .catch((cause: unknown) => bus.logger.warn({ err: cause }, 'upload event not pushed'));
            },
          }),
        );
        const keepAlive = setInterval(() => {
          chain = chain.then(async () => {
            if (!(await stillSignedIn())) return close();
            await stream.writeSSE({ event: 'ping', data: '' });
          });
        }, keepAliveMs);
        stream.onAbort(close);
        await bus.nc.flush();
        await stream.writeSSE({ event: 'open', data: JSON.stringify({ userId: principal.userId }) });
        await end;
        await chain;
      });
    },
  );
}
