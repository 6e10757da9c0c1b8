import { BadRequestException, NotFoundException } from '@nestjs/common';
import { describe, expect, it } from 'vitest';
import { StoreUnavailableError } from '../repositories/redis-client.ts';
import { ApiException } from './api-exception.ts';
import { errorResponse } from './error-response.ts';

describe(errorResponse.name, () => {
  it('sends an ApiException with the status of its code, its details and headers', () => {
    const sut = errorResponse(
      new ApiException('rate_limited', 'slow down', {
        details: { retryAfterSeconds: 3 },
        headers: { 'Retry-After': '3' },
      }),
    );

    expect(sut).toEqual({
      status: 429,
      headers: { 'Retry-After': '3' },
      body: { error: { code: 'rate_limited', message: 'slow down', details: { retryAfterSeconds: 3 } } },
      unexpected: false,
    });
  });

  it('sends an unreachable Redis as 503 service_unavailable', () => {
    const sut = errorResponse(new StoreUnavailableError(new Error('ECONNREFUSED')));

    expect(sut.status).toBe(503);
    expect(sut.body.error.code).toBe('service_unavailable');
    expect(sut.body.error.message).not.toContain('ECONNREFUSED');
  });

  it('sends an unreachable Postgres as 503, also when drizzle wraps the driver error', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    const wrapped = Object.assign(new Error('Failed query: select 1'), { cause: refused });
    const shutdown = Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' });

    for (const error of [refused, wrapped, shutdown]) {
      expect(errorResponse(error).status).toBe(503);
      expect(errorResponse(error).body.error.message).toMatch(/database/);
    }
    expect(errorResponse(Object.assign(new Error('duplicate key'), { code: '23505' })).status).toBe(500);
  });

  it("maps Nest's HTTP exceptions and body-parser errors by status", () => {
    expect(errorResponse(new NotFoundException('Cannot GET /x')).body.error.code).toBe('not_found');
    expect(errorResponse(new BadRequestException()).status).toBe(400);
    const tooLarge = Object.assign(new Error('request entity too large'), { status: 413, type: 'entity.too.large' });
    expect(errorResponse(tooLarge).body.error.code).toBe('payload_too_large');
  });

  it('hides the cause of anything else behind a 500 and marks it for the log', () => {
    const sut = errorResponse(new Error('column "secret" does not exist'));

    expect(sut).toEqual({
      status: 500,
      headers: {},
      body: { error: { code: 'internal', message: 'something went wrong on our side' } },
      unexpected: true,
    });
  });
});
