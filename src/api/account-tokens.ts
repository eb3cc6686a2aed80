// Account tokens (reference 9.9): `glsa_…` bearer credentials that act as their creator with the
// scope they were given. Only the SHA-256 of the plain value is stored; it is shown once, at creation.
import { randomBytes } from 'node:crypto';
import { isoMicros } from '../clock.js';
import { uuidv7 } from '../crypto/random.js';
import { JsonError } from '../http/errors.js';
import type { AccountTokenRecord } from '../store/schema.js';
import { accountTokenHash } from '../crypto/random.js';
import { queryId } from './ids.js';
import { readListQuery, type ListSpec } from './list-query.js';
import type { Principal } from './policy.js';
import type { ApiRequest, ApiRoute } from './route.js';
import { Changeset } from './validation.js';

const LIST: ListSpec = {
  sortable: ['name', 'inserted_at', 'last_used_at', 'expires_at'],
  filterable: ['name'],
  defaultOrder: ['inserted_at', 'desc'],
};
const READERS: readonly Principal[] = ['super_admin', 'org_admin'];
const WRITERS: readonly Principal[] = ['org_admin'];
const DAY_MS = 86_400_000;
/** The largest instant a JavaScript Date can hold. */
const MAX_DATE_MS = 8.64e15;

export function accountTokenJson(t: AccountTokenRecord) {
  return {
    id: t.id,
    name: t.name,
    description: t.description,
    token_prefix: t.token_prefix,
    scope: t.scope,
    expires_at: t.expires_at,
    last_used_at: t.last_used_at,
    inserted_at: t.inserted_at,
  };
}

/** `glsa_` + 40 lower-case hex characters (20 random bytes), reference 1.2. */
export const newAccountToken = (): string => `glsa_${randomBytes(20).toString('hex')}`;

const tokenNotFound = () => new JsonError(404, { error: 'token not found' });

/** Ecto casts an empty string to nil. */
const blankToNull = (v: string | undefined): string | null => (v === undefined || v === '' ? null : v);

function list({ mock, account, query }: ApiRequest) {
  const page = readListQuery(query, LIST);
  // Newest first among equal timestamps: records are appended, so reverse before the stable sort.
  const rows = mock.directory
    .world()
    .accountTokens.filter((t) => t.account === account.handle && t.revoked_at === null)
    .reverse()
    .map(accountTokenJson);
  const { items, meta } = page(rows);
  return { tokens: items, meta };
}

function create({ mock, caller, account, body }: ApiRequest) {
  const c = new Changeset(body);
  const name = c.required('name');
  c.length('name', name, 1, 255);
  const description = c.string('description');
  const scope = c.string('scope') ?? '';
  const nowMs = mock.clock.nowMs();
  // Only a string counts (a form value); a JSON number is ignored and the token never expires.
  let expiresAt: string | null = null;
  const days = body['expires_in_days'];
  if (typeof days === 'string' && days !== '') {
    const n = /^\d+$/.test(days) ? Number(days) : NaN;
    if (!Number.isSafeInteger(n) || n < 1 || nowMs + n * DAY_MS > MAX_DATE_MS) c.add('expires_in_days', 'is invalid');
    else expiresAt = isoMicros(nowMs + n * DAY_MS);
  }
  c.check();
  const plain = newAccountToken();
  const now = isoMicros(nowMs);
  const record: AccountTokenRecord = {
    id: uuidv7(nowMs),
    account: account.handle,
    userId: caller.user.id,
    name: name!,
    description: blankToNull(description),
    token_prefix: plain.slice(0, 12),
    token_hash: accountTokenHash(plain),
    scope,
    expires_at: expiresAt,
    last_used_at: null,
    revoked_at: null,
    inserted_at: now,
    updated_at: now,
  };
  mock.directory.world().accountTokens.push(record);
  mock.store.recordChanged('accountTokens', record);
  return { token: accountTokenJson(record), plain_token: plain };
}

function revoke({ mock, account, params }: ApiRequest) {
  const id = queryId(params['id']!);
  const record = mock.directory
    .world()
    .accountTokens.find((t) => t.id === id && t.account === account.handle && t.revoked_at === null);
  if (!record) throw tokenNotFound();
  const now = isoMicros(mock.clock.nowMs());
  record.revoked_at = now;
  record.updated_at = now;
  mock.store.recordChanged('accountTokens', record);
  return { status: 'revoked' };
}

export const accountTokenRoutes: ApiRoute[] = [
  {
    method: 'get',
    path: '/api/:handle/tokens',
    scope: 'api_credentials:read',
    who: READERS,
    target: 'account',
    summary: "List an account's tokens (not revoked; expired ones included)",
    tag: 'Tokens',
    status: 200,
    paginated: true,
    handle: list,
  },
  {
    method: 'post',
    path: '/api/:handle/tokens',
    scope: 'api_credentials:write',
    who: WRITERS,
    target: 'account',
    summary: 'Create an account token (the plain token is shown once)',
    tag: 'Tokens',
    status: 201,
    body: { name: 'string', description: 'string', scope: 'string', expires_in_days: 'string' },
    handle: create,
  },
  {
    method: 'delete',
    path: '/api/:handle/tokens/:id',
    scope: 'api_credentials:write',
    who: WRITERS,
    target: 'account',
    summary: 'Revoke an account token',
    tag: 'Tokens',
    status: 200,
    handle: revoke,
  },
];
