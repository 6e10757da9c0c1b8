import { DrizzleQueryError } from 'drizzle-orm/errors';
import { describe, expect, it } from 'vitest';
import { loggableError } from './loggable-error.ts';

describe(loggableError.name, () => {
  it('drops the parameters of a failed query and keeps its SQL and cause', () => {
    const cause = Object.assign(new Error('duplicate key value'), { code: '23505' });
    const error = new DrizzleQueryError(
      'insert into "users" values ($1, $2)',
      ['a@b.org', '$argon2id$v=19$secret'],
      cause,
    );

    const sut = loggableError(error);

    expect(JSON.stringify(sut)).not.toContain('argon2id');
    expect(sut).toMatchObject({
      message: 'query failed: insert into "users" values ($1, $2)',
      cause: { message: 'duplicate key value', code: '23505' },
    });
  });

  it('passes any other error on as it is', () => {
    const error = new Error('boom');

    expect(loggableError(error)).toBe(error);
  });
});
