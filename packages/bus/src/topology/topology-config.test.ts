import { busTopology } from '@tonearm/contracts';
import { describe, expect, it } from 'vitest';
import {
  CONSUMER_UPDATABLE,
  configDrift,
  consumerConfigFor,
  streamConfigFor,
  STREAM_UPDATABLE,
} from './topology-config.ts';

const topology = busTopology('unit');

describe(streamConfigFor.name, () => {
  it('keeps every event with limits retention on file, with a two-minute duplicate window', () => {
    const sut = streamConfigFor(topology.stream('ingest'), 3);
    expect(sut).toMatchObject({
      name: 'UNIT_INGEST',
      subjects: ['unit.ingest.>'],
      retention: 'limits',
      storage: 'file',
      duplicate_window: 120_000_000_000,
      num_replicas: 3,
    });
  });
});

describe(consumerConfigFor.name, () => {
  it('makes an explicit-ack durable from the contracts spec', () => {
    const sut = consumerConfigFor(topology.consumer('transcoder'));
    expect(sut).toEqual({
      durable_name: 'transcoder',
      description: topology.consumer('transcoder').description,
      ack_policy: 'explicit',
      deliver_policy: 'all',
      ack_wait: 60_000_000_000,
      max_deliver: 5,
      max_ack_pending: 64,
      filter_subject: 'unit.ingest.upload.completed.v1',
    });
  });

  it('applies overrides over the contracts values', () => {
    const sut = consumerConfigFor(topology.consumer('transcoder'), { maxDeliver: 3, ackWaitMs: 2000 });
    expect(sut).toMatchObject({ max_deliver: 3, ack_wait: 2_000_000_000, max_ack_pending: 64 });
  });
});

describe(configDrift.name, () => {
  it('finds nothing when the server holds what the topology wants', () => {
    const wanted = consumerConfigFor(topology.consumer('catalog-ingest'));
    expect(configDrift({ ...wanted, num_replicas: 0 }, wanted, CONSUMER_UPDATABLE)).toEqual([]);
  });

  it('names each differing field with both values', () => {
    const wanted = consumerConfigFor(topology.consumer('catalog-ingest'));
    const actual = { ...wanted, max_deliver: 2, ack_wait: 1 };
    expect(configDrift(actual, wanted, CONSUMER_UPDATABLE)).toEqual([
      { field: 'ack_wait', actual: 1, wanted: wanted.ack_wait },
      { field: 'max_deliver', actual: 2, wanted: 10 },
    ]);
  });

  it('compares subject lists as sets and a missing description as empty', () => {
    const wanted = { ...streamConfigFor(topology.stream('ops'), 1), subjects: ['a.>', 'b.>'], description: '' };
    const actual = { ...wanted, subjects: ['b.>', 'a.>'], description: undefined };
    expect(configDrift(actual, wanted, STREAM_UPDATABLE)).toEqual([]);
  });
});
