// Glossia's two-layer authorization (reference 6.2): the token's scope first, then the user's
// role on the target account.
import type { Account, Directory } from '../domain/directory.js';
import { JsonError } from '../http/errors.js';
import { hasScope } from '../oauth/scopes.js';
import type { Caller } from './bearer.js';

export type Principal = 'super_admin' | 'org_admin' | 'org_member' | 'public_account';

export const scopeError = (scope: string): JsonError =>
  new JsonError(
    403,
    { error: 'insufficient_scope', required_scope: scope },
    { 'WWW-Authenticate': `Bearer error="insufficient_scope", scope="${scope}"` },
  );

export function requireScope(caller: Caller, scope: string): void {
  if (!hasScope(caller.scope, scope)) throw scopeError(scope);
}

export function allowed(directory: Directory, caller: Caller, account: Account, principals: readonly Principal[]): boolean {
  const role = directory.roleOf(caller.user.id, account);
  return principals.some((p) => {
    switch (p) {
      case 'super_admin':
        return caller.user.super_admin === true;
      case 'org_admin':
        return role === 'admin';
      case 'org_member':
        return role !== undefined;
      case 'public_account':
        return account.visibility === 'public';
    }
  });
}

export function requirePolicy(directory: Directory, caller: Caller, account: Account, principals: readonly Principal[]): void {
  if (!allowed(directory, caller, account, principals)) throw new JsonError(403, { error: 'not_authorized' });
}

/** project:read and voice:read (reference 6.2 table). */
export const READ_PUBLIC: readonly Principal[] = ['super_admin', 'org_admin', 'org_member', 'public_account'];
