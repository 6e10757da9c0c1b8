import { registerRequestSchema } from '@tonearm/contracts';
import { describe, expect, it } from 'vitest';
import { ApiException } from './api-exception.ts';
import { ZodBodyPipe } from './zod-body.pipe.ts';

describe(ZodBodyPipe.name, () => {
  const sut = new ZodBodyPipe(registerRequestSchema);

  it('answers the parsed, normalised body', () => {
    expect(sut.transform({ email: 'A@B.org', password: 'long enough yes', displayName: 'A' })).toEqual({
      email: 'a@b.org',
      password: 'long enough yes',
      displayName: 'A',
    });
  });

  it('throws 400 invalid_request with the errors of every field, and treats a missing body as empty', () => {
    let error: unknown;
    try {
      sut.transform(undefined);
    } catch (caught) {
      error = caught;
    }

    expect(error).toBeInstanceOf(ApiException);
    expect((error as ApiException).status).toBe(400);
    expect(Object.keys((error as ApiException).details as object)).toEqual(['formErrors', 'fieldErrors']);
    expect(Object.keys(((error as ApiException).details as { fieldErrors: object }).fieldErrors).sort()).toEqual([
      'displayName',
      'email',
      'password',
    ]);
  });
});
