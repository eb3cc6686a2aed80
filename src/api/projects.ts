// Projects (reference 9.6): per account, and — in the documented profile — the guide's
// `GET /api/projects` across every account the user can read.
import { isoMicros } from '../clock.js';
import { uuidv7 } from '../crypto/random.js';
import type { ProjectRecord } from '../store/schema.js';
import { readListQuery, type ListSpec } from './list-query.js';
import { allowed, READ_PUBLIC } from './policy.js';
import type { ApiRequest, ApiRoute } from './route.js';
import { Changeset } from './validation.js';

const PROJECT_HANDLE = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;
const LIST: ListSpec = { sortable: ['handle', 'name', 'inserted_at'], filterable: ['handle', 'name'], defaultOrder: ['handle', 'asc'] };

export function projectJson(p: ProjectRecord) {
  return {
    handle: p.handle,
    name: p.name,
    github_repo_full_name: p.github_repo_full_name,
    setup_status: p.setup_status,
    inserted_at: p.inserted_at,
  };
}

/** A project of the cross-account listing: its account last. Assigned, not spread: a spread copy is a slow object for JSON.stringify. */
function withAccount(p: ProjectRecord) {
  const json: ReturnType<typeof projectJson> & { account_handle?: string } = projectJson(p);
  json.account_handle = p.account;
  return json;
}

function listAll({ mock, caller, query }: ApiRequest) {
  const page = readListQuery(query, {
    sortable: [...LIST.sortable, 'account_handle'],
    filterable: [...LIST.filterable, 'account_handle'],
    defaultOrder: ['account_handle', 'asc'],
  });
  const readable = new Set(
    mock.directory
      .accounts()
      .filter((a) => allowed(mock.directory, caller, a, READ_PUBLIC))
      .map((a) => a.handle),
  );
  const rows = mock.directory
    .world()
    .projects.filter((p) => readable.has(p.account))
    // Sorting is stable: by account first (the default order), then by handle within one.
    .sort((a, b) => (a.handle < b.handle ? -1 : a.handle > b.handle ? 1 : 0))
    .map(withAccount);
  const { items, meta } = page(rows);
  return { projects: items, meta };
}

function list({ mock, account, query }: ApiRequest) {
  const page = readListQuery(query, LIST);
  const { items, meta } = page(mock.directory.world().projects.filter((p) => p.account === account.handle).map(projectJson));
  return { projects: items, meta };
}

function create({ mock, account, body }: ApiRequest) {
  const c = new Changeset(body);
  // The body field is project_handle: `handle` is the account in the path.
  const handle = c.required('project_handle', 'handle');
  const name = c.required('name');
  c.length('handle', handle, 2, 39);
  c.format('handle', handle, PROJECT_HANDLE, 'must contain only lowercase letters, numbers, and hyphens');
  c.check();
  const world = mock.directory.world();
  if (world.projects.some((p) => p.account === account.handle && p.handle === handle))
    c.add('account_id', 'has already been taken');
  c.check();
  const nowMs = mock.clock.nowMs();
  const project: ProjectRecord = {
    id: uuidv7(nowMs),
    account: account.handle,
    handle: handle!,
    name: name!,
    description: null,
    github_repo_full_name: null,
    setup_status: null,
    inserted_at: isoMicros(nowMs),
  };
  world.projects.push(project);
  mock.store.recordChanged('projects', project);
  return projectJson(project);
}

export function projectRoutes(flatListing: boolean): ApiRoute[] {
  const routes: ApiRoute[] = [
    {
      method: 'get',
      path: '/api/:handle/projects',
      scope: 'project:read',
      who: READ_PUBLIC,
      target: 'account',
      summary: "List an account's projects",
      tag: 'Projects',
      status: 200,
      paginated: true,
      handle: list,
    },
    {
      method: 'post',
      path: '/api/:handle/projects',
      scope: 'project:write',
      who: ['org_admin'],
      target: 'account',
      summary: 'Create a project',
      tag: 'Projects',
      status: 201,
      body: { project_handle: 'string', name: 'string' },
      handle: create,
    },
  ];
  if (flatListing)
    routes.unshift({
      method: 'get',
      path: '/api/projects',
      scope: 'project:read',
      who: 'any-user',
      target: null,
      summary: 'List every project the user can read, across accounts',
      tag: 'Projects',
      status: 200,
      paginated: true,
      handle: listAll,
    });
  return routes;
}
