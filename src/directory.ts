// Who exists and who may do what: users, accounts (personal and organization) and memberships,
// derived from the fixtures. Every user has a personal account of the same handle, which is also an
// organization named "Personal" where they are admin (reference 6.2).
import type { Fixtures, FixtureUser, OrgRole, Visibility } from './fixtures/types.js';

export interface Account {
  id: string;
  handle: string;
  name: string;
  visibility: Visibility;
  personal: boolean;
  /** user id => role in the account's organization */
  roles: Map<string, OrgRole>;
}

export interface Directory {
  users: readonly FixtureUser[];
  userByHandle(handle: string): FixtureUser | undefined;
  userById(id: string): FixtureUser | undefined;
  account(handle: string): Account | undefined;
  accounts(): readonly Account[];
  roleOf(userId: string, account: Account): OrgRole | undefined;
}

export function createDirectory(fixtures: Fixtures): Directory {
  const byHandle = new Map(fixtures.users.map((u) => [u.handle, u]));
  const byId = new Map(fixtures.users.map((u) => [u.id, u]));
  const accounts = new Map<string, Account>();
  for (const u of fixtures.users) {
    accounts.set(u.handle, {
      id: u.id,
      handle: u.handle,
      name: 'Personal',
      visibility: u.visibility,
      personal: true,
      roles: new Map([[u.id, 'admin']]),
    });
  }
  for (const o of fixtures.organizations) {
    const roles = new Map<string, OrgRole>();
    for (const m of o.members) {
      const user = byHandle.get(m.user);
      if (user) roles.set(user.id, m.role);
    }
    accounts.set(o.handle, { id: o.id, handle: o.handle, name: o.name, visibility: o.visibility, personal: false, roles });
  }
  return {
    users: fixtures.users,
    userByHandle: (h) => byHandle.get(h),
    userById: (id) => byId.get(id),
    account: (h) => accounts.get(h),
    accounts: () => [...accounts.values()],
    roleOf: (userId, account) => account.roles.get(userId),
  };
}
