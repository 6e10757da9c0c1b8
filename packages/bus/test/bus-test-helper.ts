import { randomBytes, randomUUID } from 'node:crypto';
import type { StoredMsg } from '@nats-io/jetstream';
import type { EventData, EventOf, StreamKey } from '@tonearm/contracts';
import { isolatedNamespace, serviceUrls } from '@tonearm/testing';
import { pino, type Logger } from 'pino';
import type { Registry } from 'prom-client';
import { connectBus, dropNamespace, type Bus } from '../src/index.ts';

/** Bus logs stay quiet in tests unless BUS_TEST_LOG_LEVEL asks for them (on standard error). */
export function testLogger(): Logger {
  return pino({ level: process.env.BUS_TEST_LOG_LEVEL ?? 'silent' }, pino.destination(2));
}

/** A bus on a namespace of its own (or the one given). */
export async function connectTestBus(
  label = 'bus',
  options: { namespace?: string; registry?: Registry } = {},
): Promise<Bus> {
  const namespace = options.namespace ?? isolatedNamespace(label);
  return connectBus({
    url: serviceUrls().natsUrl,
    namespace,
    name: `test:${namespace}`,
    logger: testLogger(),
    ...(options.registry ? { registry: options.registry } : {}),
  });
}

/** Deletes every stream and the settings bucket of the bus's namespace, then closes the bus. */
export async function removeNamespace(bus: Bus): Promise<void> {
  await dropNamespace(bus);
  await bus.close();
}

/** Every message stored in one stream of the bus's namespace, oldest first. */
export async function storedMessages(bus: Bus, stream: StreamKey): Promise<StoredMsg[]> {
  const name = bus.topology.stream(stream).name;
  const { state } = await bus.jsm.streams.info(name);
  const messages: StoredMsg[] = [];
  for (let seq = state.first_seq; seq <= state.last_seq && state.messages > 0; seq++) {
    const msg = await bus.jsm.streams.getMessage(name, { seq }).catch(() => null);
    if (msg) messages.push(msg);
  }
  return messages;
}

/** The dead letters stored so far in the ops stream. */
export async function deadLetters(bus: Bus): Promise<EventOf<'ops.message.dead-lettered.v1'>[]> {
  const messages = await storedMessages(bus, 'ops');
  return messages
    .map((m) => m.json<EventOf<'ops.message.dead-lettered.v1'>>())
    .filter((e) => e.type === 'ops.message.dead-lettered.v1');
}

/** Valid data for an `ingest.upload.completed.v1` event, the transcoder's input. */
export function uploadCompletedData(): EventData<'ingest.upload.completed.v1'> {
  const trackId = randomUUID();
  return {
    trackId,
    uploadId: `upload-${randomBytes(4).toString('hex')}`,
    ownerId: randomUUID(),
    source: {
      key: `sources/${trackId}`,
      filename: '01 - Artist - Title.flac',
      size: 1234,
      sha256: randomBytes(32).toString('hex'),
      contentType: 'audio/flac',
    },
    tags: {
      title: 'Title',
      artist: 'Artist',
      album: null,
      albumArtist: null,
      trackNumber: 1,
      discNumber: null,
      year: null,
      genre: null,
    },
    cover: null,
  };
}
