// OAuth applications (reference 9.10, 10): a Glossia record owned by an account, backed by a real
// OAuth client in the store (source 'oauth-app'). The record's `id` is not the client_id. The
// client's grants come from the profile (`oauthAppGrantTypes`); PKCE is always required.
import { isoMicros } from '../clock.js';
import { randomAlnum, uuidv4, uuidv7 } from '../crypto/random.js';
import { JsonError } from '../http/errors.js';
import type { Params } from '../http/params.js';
import type { Account } from '../domain/directory.js';
import type { Mock } from '../mock.js';
import { redirectUriProblem } from '../oauth/redirect-uri.js';
import type { OAuthAppRecord, StoredClient } from '../store/schema.js';
import { queryId } from './ids.js';
import { readListQuery, type ListSpec } from './list-query.js';
import type { Principal } from './policy.js';
import type { ApiRequest, ApiRoute } from './route.js';
import { Changeset } from './validation.js';

const LIST: ListSpec = { sortable: ['name', 'inserted_at'], filterable: ['name'], defaultOrder: ['inserted_at', 'desc'] };
const READERS: readonly Principal[] = ['super_admin', 'org_admin'];
const WRITERS: readonly Principal[] = ['org_admin'];
const HOMEPAGE = /^https?:\/\//;
const HOMEPAGE_MESSAGE = 'must be a valid URL starting with http:// or https://';

export function oauthAppJson(a: OAuthAppRecord) {
  return { id: a.id, name: a.name, description: a.description, homepage_url: a.homepage_url, inserted_at: a.inserted_at };
}

/** Ecto casts an empty string to nil. */
const blankToNull = (v: string | undefined): string | null => (v === undefined || v === '' ? null : v);

/** An array of URIs, or one string of them separated by whitespace and/or commas; each checked as at registration. */
function redirectUris(c: Changeset, value: unknown): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  let uris: unknown[];
  if (typeof value === 'string') uris = value.split(/[\s,]+/).filter((u) => u !== '');
  else if (Array.isArray(value)) uris = value;
  else {
    c.add('redirect_uris', 'is invalid');
    return undefined;
  }
  for (const uri of uris) {
    const problem = redirectUriProblem(uri);
    if (problem) c.add('redirect_uris', problem);
  }
  return c.has('redirect_uris') ? undefined : (uris as string[]);
}

export interface AppFields {
  name?: string;
  description?: string | null;
  homepage_url?: string | null;
  redirect_uris?: string[];
}

/**
 * The fields present in the body, validated; `creating` makes name required even when absent.
 * Throws the 422 `{"errors":{field:[messages]}}` (the dashboard pages catch it and show the messages).
 */
export function readFields(body: Params, creating: boolean): AppFields {
  const c = new Changeset(body);
  const out: AppFields = {};
  if (creating || Object.hasOwn(body, 'name')) {
    const name = c.required('name');
    c.length('name', name, 1, 255);
    if (name !== undefined) out.name = name;
  }
  if (Object.hasOwn(body, 'description')) out.description = blankToNull(c.string('description'));
  if (Object.hasOwn(body, 'homepage_url')) {
    const homepage = blankToNull(c.string('homepage_url'));
    if (homepage !== null && !c.has('homepage_url') && !HOMEPAGE.test(homepage)) c.add('homepage_url', HOMEPAGE_MESSAGE);
    out.homepage_url = homepage;
  }
  const uris = redirectUris(c, body['redirect_uris']);
  if (uris !== undefined) out.redirect_uris = uris;
  c.check();
  return out;
}

/** The app named by `:id` in the account, or Phoenix's 400 (not a UUID) / 404 (no such app here). */
export function findApp(mock: Mock, account: string, rawId: string): OAuthAppRecord {
  const id = queryId(rawId);
  const app = mock.directory.world().oauthApps.find((a) => a.id === id && a.account === account);
  if (!app) throw new JsonError(404, { errors: { detail: 'Not Found' } });
  return app;
}

export function storedClient(mock: Mock, clientId: string): StoredClient | undefined {
  const clients = mock.store.data.clients;
  return Object.hasOwn(clients, clientId) ? clients[clientId] : undefined;
}

// The core of each action, shared by the API handlers below and the dashboard pages (src/ui/dashboard.ts).

/** The account's apps, newest record first (records are appended). */
export function listOAuthApps(mock: Mock, account: Account): OAuthAppRecord[] {
  return mock.directory
    .world()
    .oauthApps.filter((a) => a.account === account.handle)
    .reverse();
}

/** Creates the app record and its OAuth client from validated fields (name required). */
export async function createOAuthApp(
  mock: Mock,
  account: Account,
  userId: string,
  fields: AppFields,
): Promise<{ app: OAuthAppRecord; client: StoredClient }> {
  const nowMs = mock.clock.nowMs();
  const now = isoMicros(nowMs);
  const client: StoredClient = {
    client_id: uuidv4(),
    client_secret: randomAlnum(86),
    client_name: fields.name!,
    redirect_uris: fields.redirect_uris ?? [],
    grant_types: [...mock.profile.oauthAppGrantTypes],
    token_endpoint_auth_method: null,
    registered_auth_method: 'client_secret_basic',
    created_at: Math.floor(nowMs / 1000),
    source: 'oauth-app',
  };
  const app: OAuthAppRecord = {
    id: uuidv7(nowMs),
    account: account.handle,
    userId,
    name: fields.name!,
    description: fields.description ?? null,
    homepage_url: fields.homepage_url ?? null,
    client_id: client.client_id,
    inserted_at: now,
    updated_at: now,
  };
  mock.directory.world().oauthApps.push(app);
  mock.store.recordChanged('oauthApps', app);
  await mock.clients.add(client);
  return { app, client };
}

/** Applies validated fields; a non-empty redirect URI list replaces the client's. */
export async function updateOAuthApp(mock: Mock, app: OAuthAppRecord, fields: AppFields): Promise<void> {
  // The OAuth client keeps its name: the consent page still shows the one given at creation.
  if (fields.name !== undefined) app.name = fields.name;
  if (fields.description !== undefined) app.description = fields.description;
  if (fields.homepage_url !== undefined) app.homepage_url = fields.homepage_url;
  const client = storedClient(mock, app.client_id);
  if (client && fields.redirect_uris !== undefined && fields.redirect_uris.length > 0) {
    client.redirect_uris = fields.redirect_uris;
    mock.store.recordChanged('clients', client);
  }
  app.updated_at = isoMicros(mock.clock.nowMs());
  mock.store.recordChanged('oauthApps', app);
  await mock.store.settled();
}

/** Deletes the app, its OAuth client and every token issued through it. */
export async function deleteOAuthApp(mock: Mock, app: OAuthAppRecord): Promise<void> {
  const world = mock.directory.world();
  world.oauthApps.splice(world.oauthApps.indexOf(app), 1);
  mock.store.recordRemoved('oauthApps', app);
  dropAppClient(mock, app.client_id);
  await mock.store.settled();
}

/** Removes an app's OAuth client and invalidates every token issued through it. */
export function dropAppClient(mock: Mock, clientId: string): void {
  const client = storedClient(mock, clientId);
  if (client) {
    delete mock.store.data.clients[clientId];
    mock.store.recordRemoved('clients', client);
  }
  // Glossia only nulls the tokens' client reference; the mock invalidates them (reference 9.10).
  mock.tokens.revokeClient(clientId);
}

/** A new client secret (the old one stops working at once), or undefined when the client is gone. */
export async function regenerateOAuthAppSecret(mock: Mock, app: OAuthAppRecord): Promise<string | undefined> {
  const client = storedClient(mock, app.client_id);
  if (!client) return undefined;
  client.client_secret = randomAlnum(86);
  app.updated_at = isoMicros(mock.clock.nowMs());
  mock.store.recordChanged('clients', client);
  mock.store.recordChanged('oauthApps', app);
  await mock.store.settled();
  return client.client_secret;
}

// The API handlers.

function list({ mock, account, query }: ApiRequest) {
  const page = readListQuery(query, LIST);
  // Newest first among equal timestamps: listOAuthApps reverses the records before the stable sort.
  const { items, meta } = page(listOAuthApps(mock, account).map(oauthAppJson));
  return { oauth_applications: items, meta };
}

async function create({ mock, caller, account, body }: ApiRequest) {
  const { app, client } = await createOAuthApp(mock, account, caller.user.id, readFields(body, true));
  return { oauth_application: oauthAppJson(app), client_id: client.client_id, client_secret: client.client_secret };
}

function show({ mock, account, params }: ApiRequest) {
  const app = findApp(mock, account.handle, params['id']!);
  const client = storedClient(mock, app.client_id);
  return { oauth_application: { ...oauthAppJson(app), client_id: app.client_id, redirect_uris: [...(client?.redirect_uris ?? [])] } };
}

async function update({ mock, account, params, body }: ApiRequest) {
  const app = findApp(mock, account.handle, params['id']!);
  await updateOAuthApp(mock, app, readFields(body, false));
  return { oauth_application: oauthAppJson(app) };
}

async function remove({ mock, account, params }: ApiRequest) {
  await deleteOAuthApp(mock, findApp(mock, account.handle, params['id']!));
  return { status: 'deleted' };
}

async function regenerateSecret({ mock, account, params }: ApiRequest) {
  const secret = await regenerateOAuthAppSecret(mock, findApp(mock, account.handle, params['id']!));
  if (secret === undefined) throw new JsonError(500, { error: 'could not regenerate secret' });
  return { client_secret: secret };
}

const BODY = { name: 'string', description: 'string', homepage_url: 'string', redirect_uris: 'array' } as const;

export const oauthAppRoutes: ApiRoute[] = [
  {
    method: 'get',
    path: '/api/:handle/oauth-apps',
    scope: 'api_credentials:read',
    who: READERS,
    target: 'account',
    summary: "List an account's OAuth applications",
    tag: 'OAuth applications',
    status: 200,
    paginated: true,
    handle: list,
  },
  {
    method: 'post',
    path: '/api/:handle/oauth-apps',
    scope: 'api_credentials:write',
    who: WRITERS,
    target: 'account',
    summary: 'Register an OAuth application (the client secret is shown once)',
    tag: 'OAuth applications',
    status: 201,
    body: BODY,
    handle: create,
  },
  {
    method: 'get',
    path: '/api/:handle/oauth-apps/:id',
    scope: 'api_credentials:read',
    who: READERS,
    target: 'account',
    summary: 'Show an OAuth application with its client_id and redirect URIs',
    tag: 'OAuth applications',
    status: 200,
    handle: show,
  },
  {
    method: 'patch',
    path: '/api/:handle/oauth-apps/:id',
    scope: 'api_credentials:write',
    who: WRITERS,
    target: 'account',
    summary: 'Update an OAuth application',
    tag: 'OAuth applications',
    status: 200,
    body: BODY,
    handle: update,
  },
  {
    method: 'delete',
    path: '/api/:handle/oauth-apps/:id',
    scope: 'api_credentials:write',
    who: WRITERS,
    target: 'account',
    summary: 'Delete an OAuth application, its client and every token issued through it',
    tag: 'OAuth applications',
    status: 200,
    handle: remove,
  },
  {
    method: 'post',
    path: '/api/:handle/oauth-apps/:id/regenerate-secret',
    scope: 'api_credentials:write',
    who: WRITERS,
    target: 'account',
    summary: "Replace an OAuth application's client secret",
    tag: 'OAuth applications',
    status: 200,
    handle: regenerateSecret,
  },
];
