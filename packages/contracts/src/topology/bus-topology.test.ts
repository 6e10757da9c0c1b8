import { describe, expect, it } from 'vitest';
import { eventTypes } from '../events/catalogue.ts';
import { busTopology, streamDefinitions } from './bus-topology.ts';

describe('busTopology', () => {
  const sut = busTopology('t-run1');

  it('prefixes subjects and stream names with the namespace', () => {
    expect(sut.subjectOf('ingest.upload.completed.v1')).toBe('t-run1.ingest.upload.completed.v1');
    expect(sut.stream('ingest')).toMatchObject({ name: 'T_RUN1_INGEST', subjects: ['t-run1.ingest.>'] });
    expect(sut.typeOfSubject('t-run1.transcode.failed.v1')).toBe('transcode.failed.v1');
    expect(sut.typeOfSubject('other.transcode.failed.v1')).toBeUndefined();
  });

  it('puts every event type in a stream that exists', () => {
    for (const type of eventTypes) expect(Object.keys(streamDefinitions)).toContain(sut.streamOf(type));
  });

  it('filters a consumer on its event type, or on its whole stream', () => {
    expect(sut.consumer('transcoder')).toMatchObject({
      streamName: 'T_RUN1_INGEST',
      filterSubject: 't-run1.ingest.upload.completed.v1',
    });
    expect(sut.consumer('catalog-ingest').filterSubject).toBe('t-run1.ingest.>');
  });

  it('refuses a namespace that would break subjects', () => {
    expect(() => busTopology('a.b')).toThrow(/namespace/);
    expect(() => busTopology('')).toThrow(/namespace/);
  });
});
