/** A role a user holds. */
export type Role = 'user' | 'admin';

/**
 * The roles of a new account: `user` for everyone, and `admin` for the first account of a
 * fresh install and for the emails named in `IDENTITY_ADMIN_EMAILS`.
 *
 * @example
 * rolesForNewAccount('ada@example.org', { isFirst: true, adminEmails: [] }); // ['user', 'admin']
 */
export function rolesForNewAccount(email: string, options: { isFirst: boolean; adminEmails: string[] }): Role[] {
  return options.isFirst || options.adminEmails.includes(email.toLowerCase()) ? ['user', 'admin'] : ['user'];
}
