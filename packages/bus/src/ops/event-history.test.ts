import { busTopology } from '@tonearm/contracts';
import { describe, expect, it } from 'vitest';
import { EventFilterError, streamFilters } from './event-history.ts';

const topology = busTopology('tonearm');
const filters = (pattern: string) => streamFilters(topology, pattern).map((f) => [f.stream.name, f.filter]);

describe('streamFilters', () => {
  it('reads one stream when the pattern names it', () => {
    expect(filters('ingest.>')).toEqual([['TONEARM_INGEST', 'tonearm.ingest.>']]);
    expect(filters('transcode.failed.v1')).toEqual([['TONEARM_TRANSCODE', 'tonearm.transcode.failed.v1']]);
  });

  it('reads every stream for a leading wildcard, narrowed to each stream', () => {
    expect(filters('>')).toEqual(topology.streams.map((s) => [s.name, `tonearm.${s.key}.>`]));
    expect(filters('*.upload.>')).toContainEqual(['TONEARM_INGEST', 'tonearm.ingest.upload.>']);
    expect(filters('*.upload.>')).toHaveLength(topology.streams.length);
  });

  it.each(['nosuch.>', 'rpc.catalog.get', '', 'ingest..x', 'ingest.>.x', 'Ingest.>', '*', 'ingest.up load'])(
    'refuses %j with a clear error',
    (pattern) => {
      expect(() => streamFilters(topology, pattern)).toThrow(EventFilterError);
    },
  );

  it('names the streams it accepts', () => {
    expect(() => streamFilters(topology, 'nosuch.>')).toThrow(/must start with one of identity, ingest, .*\* or >/);
  });
});
