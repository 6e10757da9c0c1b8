import argon2 from 'argon2';

/** Hashes and checks passwords; an interface so tests can count the work done. */
export interface PasswordHasher {
  hash(password: string): Promise<string>;
  /** Whether `password` matches `hash`; false (never a throw) for a hash it cannot read. */
  verify(hash: string, password: string): Promise<boolean>;
}

/** OWASP's argon2id parameters: 19 MiB of memory, two passes, one lane. */
export const argon2idOptions = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/**
 * argon2id with OWASP's parameters, producing PHC strings (`$argon2id$v=19$m=19456,t=2,p=1$...`).
 *
 * @example
 * const hasher = new Argon2PasswordHasher();
 * const hash = await hasher.hash('correct horse battery staple');
 * await hasher.verify(hash, 'correct horse battery staple'); // true
 */
export class Argon2PasswordHasher implements PasswordHasher {
  hash(password: string): Promise<string> {
    return argon2.hash(password, argon2idOptions);
  }

  async verify(hash: string, password: string): Promise<boolean> {
    try {
      return await argon2.verify(hash, password);
    } catch {
      return false;
    }
  }
}
