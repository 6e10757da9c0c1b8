import { describe, expect, it } from 'vitest';
import {
  healthResponse,
  infoResponse,
  instanceFromInfo,
  isSrvToken,
  pingResponse,
  srvSubjects,
  statsResponse,
  type EndpointState,
  type SrvIdentity,
} from './srv-responses.ts';

const identity: SrvIdentity = {
  name: 'transcoder',
  id: 'abc123',
  version: '0.1.0',
  metadata: { namespace: 'tonearm', opsUrl: 'http://127.0.0.1:9103', startedAt: '2025-01-01T00:00:00.000Z' },
};

const endpoint: EndpointState = {
  name: 'jobs',
  subject: 'tonearm.transcoder.jobs',
  queueGroup: 'q',
  numRequests: 3,
  numErrors: 1,
  lastError: 'boom',
  processingTimeNs: 1000,
};

describe('srv responses', () => {
  it('listens on the all-services, per-name and per-instance subjects', () => {
    expect(srvSubjects('INFO', 'edge', 'x1')).toEqual(['$SRV.INFO', '$SRV.INFO.edge', '$SRV.INFO.edge.x1']);
  });

  it('accepts only single subject tokens as names and ids', () => {
    expect(isSrvToken('edge-1_a')).toBe(true);
    expect(['', 'a.b', 'a b', '*', '>'].map(isSrvToken)).toEqual([false, false, false, false, false]);
  });

  it('answers PING with the micro v1 standard fields', () => {
    expect(pingResponse(identity)).toEqual({ type: 'io.nats.micro.v1.ping_response', ...identity });
  });

  it('answers INFO with the description and endpoints in snake case', () => {
    expect(infoResponse(identity, 'HLS worker', [endpoint])).toEqual({
      type: 'io.nats.micro.v1.info_response',
      ...identity,
      description: 'HLS worker',
      endpoints: [{ name: 'jobs', subject: 'tonearm.transcoder.jobs', queue_group: 'q', metadata: {} }],
    });
  });

  it('answers STATS with counters and a truncated average in nanoseconds', () => {
    const sut = statsResponse(identity, '2025-01-01T00:00:00.000Z', [endpoint]);
    expect(sut).toEqual({
      type: 'io.nats.micro.v1.stats_response',
      ...identity,
      started: '2025-01-01T00:00:00.000Z',
      endpoints: [
        {
          name: 'jobs',
          subject: 'tonearm.transcoder.jobs',
          queue_group: 'q',
          num_requests: 3,
          num_errors: 1,
          last_error: 'boom',
          processing_time: 1000,
          average_processing_time: 333,
        },
      ],
    });
  });

  it('reports an average of zero before any request', () => {
    const sut = statsResponse(identity, 'now', [{ ...endpoint, numRequests: 0, processingTimeNs: 0 }]);
    expect(sut.endpoints[0]!.average_processing_time).toBe(0);
  });

  it('answers HEALTH with the instance health', () => {
    const health = { status: 'degraded' as const, checks: { db: { status: 'degraded' as const, detail: 'slow' } } };
    expect(healthResponse(identity, health)).toEqual({
      type: 'io.tonearm.health_response',
      name: 'transcoder',
      id: 'abc123',
      version: '0.1.0',
      health,
    });
  });

  it('reads an INFO answer back as a service instance', () => {
    expect(instanceFromInfo(infoResponse(identity, 'HLS worker', [endpoint]))).toEqual({
      name: 'transcoder',
      id: 'abc123',
      version: '0.1.0',
      description: 'HLS worker',
      metadata: identity.metadata,
      endpoints: [{ name: 'jobs', subject: 'tonearm.transcoder.jobs', queueGroup: 'q' }],
    });
  });

  it('ignores answers that are not platform instances', () => {
    expect(instanceFromInfo(null)).toBeUndefined();
    expect(instanceFromInfo('text')).toBeUndefined();
    expect(instanceFromInfo(pingResponse(identity))).toBeUndefined();
    expect(instanceFromInfo(infoResponse({ ...identity, metadata: {} }, '', []))).toBeUndefined();
    expect(
      instanceFromInfo(infoResponse({ ...identity, metadata: { ...identity.metadata, opsUrl: 'not a url' } }, '', [])),
    ).toBeUndefined();
  });
});
