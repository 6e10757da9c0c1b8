import { describe, expect, it } from 'vitest';
import { isUnreachableDependency } from './unreachable-dependency.ts';

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

describe('isUnreachableDependency', () => {
  it('sees a refused connection, also as the cause of a query error', () => {
    expect(isUnreachableDependency(withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED'))).toBe(true);
    const query = new Error('Failed query: select 1', { cause: withCode('connect ECONNREFUSED', 'ECONNREFUSED') });
    expect(isUnreachableDependency(query)).toBe(true);
  });
  it('sees Postgres shutting down and a dropped connection', () => {
    expect(isUnreachableDependency(withCode('terminating connection due to administrator command', '57P01'))).toBe(
      true,
    );
    expect(isUnreachableDependency(new Error('Connection terminated unexpectedly'))).toBe(true);
  });
  it('leaves other failures alone', () => {
    expect(isUnreachableDependency(withCode('duplicate key value', '23505'))).toBe(false);
    expect(isUnreachableDependency(new TypeError('x is undefined'))).toBe(false);
    expect(isUnreachableDependency('a string')).toBe(false);
  });
});
