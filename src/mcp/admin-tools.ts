// The 8 tools of Glossia's super-admin MCP server (reference 11A.5) over the fixture users and the
// accounts. The mock has no discussions, so those tools answer as an instance without any. Token
// scopes are never checked here; every tool re-checks super admin, then one 60/min bucket per user.
import type { Caller } from '../api/bearer.js';
import { toolError } from '../http/errors.js';
import type { FixtureUser } from '../fixtures/types.js';
import type { Mock } from '../mock.js';
import type { Input } from './arguments.js';
import { catalogOf, type ToolCatalog, type ToolEntry } from './catalog.js';
import { rateLimited } from './run-tool.js';
import type { Args } from './tools.js';

const PAGE: Input = { kind: 'integer', description: 'Page number (1-based). Defaults to 1.' };
const PAGE_SIZE: Input = { kind: 'integer', description: 'Items per page (max 100). Defaults to 50.' };
const DISCUSSION_ID: Input = { kind: 'string', required: true, description: 'The discussion ID.' };

function admit(mock: Mock, caller: Caller): void {
  if (caller.user.super_admin !== true) throw toolError('Super admin access required');
  const verdict = mock.limits.hit('admin_mcp_tool', [`user:${caller.user.id}`]);
  if (!verdict.allowed) throw rateLimited(verdict.retryAfter);
}

/** Newest first, then the requested page (page_size capped at 100). */
function page<T extends { inserted_at: string }>(rows: readonly T[], args: Args): T[] {
  const size = Math.min(100, Math.max(1, typeof args['page_size'] === 'number' ? args['page_size'] : 50));
  const n = Math.max(1, typeof args['page'] === 'number' ? args['page'] : 1);
  const newest = [...rows].sort((a, b) => (a.inserted_at < b.inserted_at ? 1 : a.inserted_at > b.inserted_at ? -1 : 0));
  return newest.slice((n - 1) * size, n * size);
}

function findUser(mock: Mock, args: Args): FixtureUser {
  const email = args['email'];
  const handle = args['handle'];
  const user =
    typeof email === 'string'
      ? mock.directory.users.find((u) => u.email.toLowerCase() === email.toLowerCase())
      : typeof handle === 'string'
        ? mock.directory.userByHandle(handle)
        : undefined;
  if (!user) throw toolError('User not found');
  return user;
}

/** The discussion tools: an id that is not a string is refused, any other is unknown. */
function noDiscussion(args: Args): never {
  if (typeof args['id'] !== 'string') throw toolError('Discussion ID must be a string');
  throw toolError('Discussion not found');
}

type AdminTool = Omit<ToolEntry, 'run'> & { run(mock: Mock, args: Args): unknown };

const ADMIN_TOOLS: readonly AdminTool[] = [
  {
    name: 'close_discussion',
    description: 'Close or reopen a discussion (super admin only).',
    inputs: { id: DISCUSSION_ID, action: { kind: 'string', required: true, description: 'Action to perform: close or reopen.' } },
    run: (_mock, args) => noDiscussion(args),
  },
  {
    name: 'comment_discussion',
    description: 'Add a comment to a discussion (super admin only).',
    inputs: {
      id: { kind: 'string', required: true, description: 'The discussion ID to comment on.' },
      body: { kind: 'string', required: true, description: 'The comment body.' },
    },
    run: (_mock, args) => noDiscussion(args),
  },
  {
    name: 'get_discussion',
    description: 'Get a single discussion with its comments (super admin only).',
    inputs: { id: DISCUSSION_ID },
    run: (_mock, args) => noDiscussion(args),
  },
  {
    name: 'get_user',
    description: 'Get details about a specific user by email or handle (super admin only).',
    inputs: {
      email: { kind: 'string', description: 'User email address.' },
      handle: { kind: 'string', description: "User's personal organization handle." },
    },
    run: (mock, args) => {
      const u = findUser(mock, args);
      return { id: u.id, email: u.email, name: u.name, handle: u.handle, avatar_url: null, inserted_at: u.inserted_at };
    },
  },
  {
    name: 'list_accounts',
    description: 'List all accounts in the system (super admin only).',
    inputs: { page: PAGE, page_size: PAGE_SIZE },
    run: (mock, args) =>
      page(mock.directory.accounts(), args).map((a) => ({ id: a.id, handle: a.handle, visibility: a.visibility, inserted_at: a.inserted_at })),
  },
  {
    name: 'list_discussions',
    description: 'List all discussions in the system (super admin only).',
    inputs: { page: PAGE, page_size: PAGE_SIZE, status: { kind: 'string', description: 'Optional filter by status: open or closed.' } },
    run: (_mock, args) => ({
      discussions: [],
      meta: {
        total_count: 0,
        total_pages: 0,
        current_page: typeof args['page'] === 'number' ? args['page'] : 1,
        page_size: Math.min(100, typeof args['page_size'] === 'number' ? args['page_size'] : 50),
        'has_next_page?': false,
        'has_previous_page?': false,
      },
    }),
  },
  {
    name: 'list_users',
    description: 'List all users in the system (super admin only).',
    inputs: { page: PAGE, page_size: PAGE_SIZE },
    run: (mock, args) => page(mock.directory.users, args).map((u) => ({ id: u.id, email: u.email, name: u.name, handle: u.handle, inserted_at: u.inserted_at })),
  },
  {
    name: 'set_super_admin',
    description: 'Grant or revoke super admin status for a user (super admin only).',
    inputs: {
      email: { kind: 'string', required: true, description: 'Email of the user.' },
      super_admin: { kind: 'boolean', required: true, description: 'Set to true to grant super admin, false to revoke.' },
    },
    run: (mock, args) => {
      // Glossia's query refuses a nil email: without arguments the tool crashes.
      if (typeof args['email'] !== 'string') throw new Error('set_super_admin: comparison with nil is forbidden');
      const user = findUser(mock, { email: args['email'] });
      // Users are fixtures: the change lasts as long as this mock instance.
      (user as { super_admin?: boolean }).super_admin = args['super_admin'] === true;
      return { email: user.email };
    },
  },
];

export function adminCatalog(mock: Mock): ToolCatalog {
  const entries = ADMIN_TOOLS.map(
    (tool): ToolEntry => ({
      ...tool,
      run: async (args, { caller }) => {
        admit(mock, caller);
        return tool.run(mock, args);
      },
    }),
  );
  return catalogOf(mock, { name: 'Glossia Admin', version: '1.0.0' }, entries);
}
