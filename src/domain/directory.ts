// Who exists and who belongs where. Users come from the fixtures (the API cannot change them);
// accounts and memberships live in the store's world, which the API changes.
import type { FixtureUser } from '../fixtures/types.js';
import type { MembershipRecord, OrganizationRecord, Role, World } from '../store/schema.js';

export type Account = OrganizationRecord;

export interface Directory {
  readonly users: readonly FixtureUser[];
  userByHandle(handle: string): FixtureUser | undefined;
  userById(id: string): FixtureUser | undefined;
  world(): World;
  account(handle: string): Account | undefined;
  accounts(): readonly Account[];
  roleOf(userId: string, account: Account): Role | undefined;
  memberships(account: Account): MembershipRecord[];
}

export function createDirectory(users: readonly FixtureUser[], world: () => World): Directory {
  const byHandle = new Map(users.map((u) => [u.handle, u]));
  const byId = new Map(users.map((u) => [u.id, u]));
  return {
    users,
    userByHandle: (h) => byHandle.get(h),
    userById: (id) => byId.get(id),
    world,
    account: (h) => world().organizations.find((o) => o.handle === h),
    accounts: () => world().organizations,
    roleOf: (userId, account) => world().memberships.find((m) => m.organization === account.handle && m.userId === userId)?.role,
    memberships: (account) => world().memberships.filter((m) => m.organization === account.handle),
  };
}
