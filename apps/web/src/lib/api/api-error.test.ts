import { describe, expect, it } from 'vitest';
import { ApiRequestError, errorMessage, networkError, toApiError } from './api-error.ts';

describe('toApiError', () => {
  it('keeps the code, message and details of an API error body', () => {
    const sut = toApiError(400, { error: { code: 'invalid_request', message: 'email is invalid', details: [1] } });

    expect(sut).toBeInstanceOf(ApiRequestError);
    expect(sut).toMatchObject({ code: 'invalid_request', status: 400, message: 'email is invalid', details: [1] });
  });

  it('reads Retry-After seconds of a 429', () => {
    const sut = toApiError(429, { error: { code: 'rate_limited', message: 'too many' } }, '30');

    expect(sut.retryAfterSeconds).toBe(30);
  });

  it('ignores a Retry-After that is not a number', () => {
    expect(toApiError(429, null, 'soon').retryAfterSeconds).toBeUndefined();
  });

  it.each([
    [401, 'unauthorized'],
    [403, 'forbidden'],
    [404, 'not_found'],
    [409, 'conflict'],
    [413, 'payload_too_large'],
    [429, 'rate_limited'],
    [503, 'service_unavailable'],
    [502, 'internal'],
    [418, 'invalid_request'],
  ])('maps a bare %i answer to %s with a readable message', (status, code) => {
    const sut = toApiError(status, '<html>gateway</html>');

    expect(sut.code).toBe(code);
    expect(sut.message).toMatch(/\w{3,}/);
    expect(sut.message).not.toMatch(/html/);
  });

  it('does not trust an unknown code in the body', () => {
    expect(toApiError(404, { error: { code: 'weird', message: '' } })).toMatchObject({
      code: 'not_found',
      message: 'That could not be found.',
    });
  });
});

describe('networkError', () => {
  it('says the service cannot be reached and keeps the cause', () => {
    const cause = new TypeError('fetch failed');
    const sut = networkError(cause);

    expect(sut).toMatchObject({ code: 'network', status: 0, cause });
    expect(sut.message).toMatch(/cannot reach/i);
  });
});

describe('errorMessage', () => {
  it('shows the message of an error and a generic one otherwise', () => {
    expect(errorMessage(new Error('boom'))).toBe('boom');
    expect(errorMessage('what')).toMatch(/went wrong/);
  });
});
