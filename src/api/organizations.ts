// Organizations, their members and invitations (reference 9.5). Every write checks and changes the
// world synchronously (no await in between, so concurrent requests cannot interleave) and reports
// each record it changed to the store, which has them on disk before the answer leaves.
import { isoMicros } from '../clock.js';
import { uuidv7 } from '../crypto/random.js';
import type { Account } from '../domain/directory.js';
import { isReservedHandle } from '../domain/reserved-handles.js';
import { JsonError } from '../http/errors.js';
import type { Mock } from '../mock.js';
import type { ListRecords, WorldList } from '../store/changes.js';
import type { InvitationRecord, MembershipRecord, OrganizationRecord, Role } from '../store/schema.js';
import { castUuid } from './ids.js';
import { dropAppClient } from './oauth-apps.js';
import type { Principal } from './policy.js';
import type { ApiRequest, ApiRoute } from './route.js';
import { Changeset } from './validation.js';

const HANDLE = /^[a-z]([a-z0-9-]*[a-z0-9])?$/;
const HANDLE_MESSAGE = 'must start with a letter and contain only lowercase letters, numbers, and hyphens';
const ROLES: readonly Role[] = ['admin', 'member', 'linguist'];
const VISIBILITIES = ['private', 'public'] as const;
const INVITATION_MS = 7 * 86_400_000;

const READERS: readonly Principal[] = ['super_admin', 'org_admin', 'org_member'];
const ADMINS: readonly Principal[] = ['org_admin'];

const conflict = (error: string) => new JsonError(409, { error });

const organizationJson = (o: OrganizationRecord) => ({ handle: o.handle, name: o.name, type: 'organization', visibility: o.visibility });

const invitationJson = (i: InvitationRecord) => ({ id: i.id, email: i.email, role: i.role, status: i.status, expires_at: i.expires_at });

/** Pending and not yet expired, as the mock's clock sees it. */
const isOpen = (i: InvitationRecord, nowMs: number) => i.status === 'pending' && Date.parse(i.expires_at) > nowMs;

/** Removes, in place, the records of the world's `list` that `dead` picks. */
function removeWhere<L extends WorldList>(mock: Mock, list: L, dead: (item: ListRecords[L]) => boolean): void {
  const items = mock.directory.world()[list] as ListRecords[L][];
  let kept = 0;
  for (const item of items) {
    if (!dead(item)) items[kept++] = item;
    else mock.store.recordRemoved(list, item);
  }
  items.length = kept;
}

function listMine({ mock, caller }: ApiRequest) {
  const mine = mock.directory
    .accounts()
    .filter((o) => mock.directory.roleOf(caller.user.id, o) !== undefined)
    .map((o) => ({ handle: o.handle, name: o.name, visibility: o.visibility }))
    .sort((a, b) => (a.handle < b.handle ? -1 : a.handle > b.handle ? 1 : 0));
  return { organizations: mine };
}

function create({ mock, caller, body }: ApiRequest) {
  const c = new Changeset(body);
  const handle = c.required('handle');
  const name = c.string('name');
  c.format('handle', handle, HANDLE, HANDLE_MESSAGE);
  c.length('handle', handle, 2, 39);
  if (handle !== undefined && !c.has('handle') && isReservedHandle(handle)) c.add('handle', 'is reserved and cannot be used');
  c.check();
  // One namespace for every account: organizations and users' personal accounts alike.
  if (mock.directory.account(handle!) || mock.directory.userByHandle(handle!)) c.add('handle', 'has already been taken');
  c.check();
  const now = isoMicros(mock.clock.nowMs());
  const org: OrganizationRecord = {
    id: uuidv7(mock.clock.nowMs()),
    handle: handle!,
    name: name === undefined || name.trim() === '' ? handle! : name,
    visibility: 'private',
    personal: false,
    inserted_at: now,
  };
  const membership: MembershipRecord = { organization: org.handle, userId: caller.user.id, role: 'admin', joined_at: now };
  const world = mock.directory.world();
  world.organizations.push(org);
  world.memberships.push(membership);
  mock.store.recordChanged('organizations', org);
  mock.store.recordChanged('memberships', membership);
  return { handle: org.handle, name: org.name, type: 'organization' };
}

function update({ mock, account, body }: ApiRequest) {
  const c = new Changeset(body);
  const name = c.string('name');
  if (name !== undefined && name.trim() === '') c.add('name', "can't be blank");
  const visibility = c.string('visibility');
  c.oneOf('visibility', visibility, VISIBILITIES);
  c.check();
  if (name !== undefined) account.name = name;
  if (visibility !== undefined) account.visibility = visibility as Account['visibility'];
  mock.store.recordChanged('organizations', account);
  return organizationJson(account);
}

/** Removes an account and everything that belongs to it, OAuth clients (and their tokens) included. */
function dropAccount(mock: Mock, handle: string): void {
  const world = mock.directory.world();
  for (const app of world.oauthApps.filter((a) => a.account === handle)) dropAppClient(mock, app.client_id);
  removeWhere(mock, 'organizations', (o) => o.handle === handle);
  // Every other list of the world holds records of an account (`account`) or organization (`organization`).
  for (const [list, items] of Object.entries(world)) {
    if (!Array.isArray(items) || list === 'organizations') continue;
    removeWhere(mock, list as WorldList, (r) => {
      const owner = r as { account?: unknown; organization?: unknown } | null;
      return typeof owner === 'object' && owner !== null && (owner.account === handle || owner.organization === handle);
    });
  }
}

function remove({ mock, account }: ApiRequest) {
  if (account.personal) throw conflict('A personal organization cannot be deleted.');
  dropAccount(mock, account.handle);
  return null;
}

function members({ mock, account }: ApiRequest) {
  const rows = mock.directory
    .memberships(account)
    .map((m, index) => ({ m, index, user: mock.directory.userById(m.userId) }))
    .filter((r) => r.user !== undefined)
    .sort((a, b) => (a.m.joined_at < b.m.joined_at ? -1 : a.m.joined_at > b.m.joined_at ? 1 : a.index - b.index));
  return { members: rows.map(({ m, user }) => ({ handle: user!.handle, email: user!.email, role: m.role, joined_at: m.joined_at })) };
}

function removeMember({ mock, account, params }: ApiRequest) {
  const handle = params['user_handle']!;
  const user = mock.directory.userByHandle(handle);
  if (!user) throw new JsonError(404, { error: `User '${handle}' not found` });
  const world = mock.directory.world();
  const membership = world.memberships.find((m) => m.organization === account.handle && m.userId === user.id);
  if (!membership) return null;
  const otherAdmin = world.memberships.some((m) => m.organization === account.handle && m.role === 'admin' && m !== membership);
  if (membership.role === 'admin' && !otherAdmin) throw conflict('Cannot remove the only admin of the organization');
  removeWhere(mock, 'memberships', (m) => m === membership);
  return null;
}

function invitations({ mock, account }: ApiRequest) {
  const nowMs = mock.clock.nowMs();
  const rows = mock.directory
    .world()
    .invitations.map((i, index) => ({ i, index }))
    .filter(({ i }) => i.organization === account.handle && isOpen(i, nowMs))
    // Newest first; records made in the same microsecond keep the order they were made in, reversed.
    .sort((a, b) => (a.i.inserted_at < b.i.inserted_at ? 1 : a.i.inserted_at > b.i.inserted_at ? -1 : b.index - a.index));
  return { invitations: rows.map(({ i }) => invitationJson(i)) };
}

function invite({ mock, caller, account, body }: ApiRequest) {
  const c = new Changeset(body);
  const email = c.required('email');
  c.format('email', email, /@/);
  const role = c.string('role') ?? 'member';
  c.oneOf('role', role, ROLES);
  c.check();
  const wanted = email!.toLowerCase();
  const world = mock.directory.world();
  const nowMs = mock.clock.nowMs();
  const isMember = mock.directory
    .memberships(account)
    .some((m) => mock.directory.userById(m.userId)?.email.toLowerCase() === wanted);
  if (isMember) throw conflict('User is already a member of this organization');
  if (world.invitations.some((i) => i.organization === account.handle && i.email.toLowerCase() === wanted && isOpen(i, nowMs)))
    throw conflict('A pending invitation already exists for this email');
  const invitation: InvitationRecord = {
    id: uuidv7(nowMs),
    organization: account.handle,
    email: email!,
    role: role as Role,
    status: 'pending',
    invited_by: caller.user.id,
    expires_at: isoMicros(nowMs + INVITATION_MS),
    inserted_at: isoMicros(nowMs),
  };
  world.invitations.push(invitation);
  mock.store.recordChanged('invitations', invitation);
  return invitationJson(invitation);
}

function revokeInvitation({ mock, account, params }: ApiRequest) {
  // Glossia casts the id before querying, so one that does not cast is simply not found.
  const id = castUuid(params['invitation_id']!);
  const invitation = id === null ? undefined : mock.directory.world().invitations.find((i) => i.organization === account.handle && i.id === id);
  if (!invitation) throw new JsonError(404, { error: 'Invitation not found' });
  if (invitation.status === 'pending') {
    invitation.status = 'revoked';
    mock.store.recordChanged('invitations', invitation);
  }
  return null;
}

const route = (r: Omit<ApiRoute, 'tag'>): ApiRoute => ({ ...r, tag: 'Organizations' });

export const organizationRoutes: ApiRoute[] = [
  route({
    method: 'get',
    path: '/api/organizations',
    scope: 'organization:read',
    who: 'any-user',
    target: null,
    summary: 'List your organizations',
    status: 200,
    handle: listMine,
  }),
  route({
    method: 'post',
    path: '/api/organizations',
    scope: 'organization:write',
    who: 'any-user',
    target: null,
    summary: 'Create an organization',
    status: 201,
    body: { handle: 'string', name: 'string' },
    handle: create,
  }),
  route({
    method: 'get',
    path: '/api/organizations/:handle',
    scope: 'organization:read',
    who: READERS,
    target: 'organization',
    summary: 'Get an organization',
    status: 200,
    handle: ({ account }) => organizationJson(account),
  }),
  route({
    method: 'patch',
    path: '/api/organizations/:handle',
    scope: 'organization:write',
    who: ADMINS,
    target: 'organization',
    summary: 'Update an organization',
    status: 200,
    body: { name: 'string', visibility: 'string' },
    handle: update,
  }),
  route({
    method: 'delete',
    path: '/api/organizations/:handle',
    scope: 'organization:delete',
    who: ADMINS,
    target: 'organization',
    summary: 'Delete an organization',
    status: 204,
    handle: remove,
  }),
  route({
    method: 'get',
    path: '/api/organizations/:handle/members',
    scope: 'members:read',
    who: READERS,
    target: 'organization',
    summary: "List an organization's members",
    status: 200,
    handle: members,
  }),
  route({
    method: 'delete',
    path: '/api/organizations/:handle/members/:user_handle',
    scope: 'members:write',
    who: ADMINS,
    target: 'organization',
    summary: 'Remove a member',
    status: 204,
    handle: removeMember,
  }),
  route({
    method: 'get',
    path: '/api/organizations/:handle/invitations',
    scope: 'members:read',
    who: READERS,
    target: 'organization',
    summary: 'List pending invitations',
    status: 200,
    handle: invitations,
  }),
  route({
    method: 'post',
    path: '/api/organizations/:handle/invitations',
    scope: 'members:write',
    who: ADMINS,
    target: 'organization',
    summary: 'Invite someone',
    status: 201,
    body: { email: 'string', role: 'string' },
    handle: invite,
  }),
  route({
    method: 'delete',
    path: '/api/organizations/:handle/invitations/:invitation_id',
    scope: 'members:write',
    who: ADMINS,
    target: 'organization',
    summary: 'Revoke an invitation',
    status: 204,
    handle: revokeInvitation,
  }),
];
