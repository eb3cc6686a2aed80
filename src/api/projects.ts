// GET /api/projects: the guide's example call (documented profile), every project the token's
// user can read, across accounts.
import type { Context } from 'koa';
import type { FixtureProject } from '../fixtures/types.js';
import { sendJson } from '../http/errors.js';
import { queryParams } from '../http/params.js';
import type { Mock } from '../mock.js';
import { caller } from './bearer.js';
import { paginate, readWindow } from './pagination.js';
import { allowed, READ_PUBLIC, requireScope } from './policy.js';

export function projectJson(p: FixtureProject) {
  return {
    handle: p.handle,
    name: p.name,
    github_repo_full_name: p.github_repo_full_name,
    setup_status: p.setup_status,
    inserted_at: p.inserted_at,
  };
}

export const listAllProjects = (mock: Mock) => (ctx: Context) => {
  const who = caller(ctx);
  requireScope(who, 'project:read');
  const window = readWindow(queryParams(ctx));
  const readable = new Set(
    mock.directory
      .accounts()
      .filter((a) => allowed(mock.directory, who, a, READ_PUBLIC))
      .map((a) => a.handle),
  );
  const projects = mock.fixtures.projects
    .filter((p) => readable.has(p.account))
    .sort((a, b) => a.account.localeCompare(b.account) || a.handle.localeCompare(b.handle))
    .map((p) => ({ ...projectJson(p), account_handle: p.account }));
  const { items, meta } = paginate(projects, window);
  sendJson(ctx, 200, { projects: items, meta });
};
