import { readFileSync } from 'node:fs';

/** The shipped list: the 10,000 most common passwords of 8 characters or more, lower case. */
export const commonPasswordsFile = new URL('../../data/common-passwords.txt', import.meta.url);

/**
 * Reads a list of common passwords, one a line, compared in lower case.
 *
 * @example
 * const common = loadCommonPasswords();
 * isCommonPassword(common, 'Password1'); // true
 */
export function loadCommonPasswords(file: URL = commonPasswordsFile): ReadonlySet<string> {
  return new Set(
    readFileSync(file, 'utf8')
      .split('\n')
      .map((line) => line.trim().toLowerCase())
      .filter(Boolean),
  );
}

/** Whether a password is on the list, ignoring case. */
export function isCommonPassword(list: ReadonlySet<string>, password: string): boolean {
  return list.has(password.toLowerCase());
}
