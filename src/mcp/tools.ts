// The 24 tools of Glossia's user MCP server (reference 11A.4), in tools/list order. Each tool names
// the REST route it runs: scope, roles, the `:handle` lookup and the work itself come from that
// route's declaration, so REST, OpenAPI and MCP cannot drift. A tool only says how its arguments
// fill the route's request and how the route's answer becomes the tool's payload.
import type { Mock } from '../mock.js';
import type { Params } from '../http/params.js';
import type { Inputs } from './arguments.js';

export type Args = Record<string, unknown>;
/** A route's answer: plain JSON the tool picks from. */
type Answer = any; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface UserTool {
  name: string;
  description: string;
  inputs: Inputs;
  /** The REST route it runs, as `METHOD /path` exactly as declared in src/api/. */
  route: string;
  /** Arguments that fill path parameters other than `:handle`, argument → parameter. */
  path?: Readonly<Record<string, string>>;
  /** The query (GET) or body (other methods) from the remaining arguments; default: as they are. */
  request?(args: Args): Params;
  /** Read before the route runs, for payloads about what the route removes. */
  peek?(mock: Mock, args: Args): unknown;
  /** The tool's payload from the route's answer (every page of it, for paginated routes). */
  payload(answer: Answer, args: Args, mock: Mock, peeked: unknown): unknown;
  /** What a 422 becomes: a prefix for the changeset's messages, or one fixed text. */
  invalid?: { prefix: string } | { text: string };
  /** Glossia's tool wording for a route's `{"error": …}` texts. */
  messages?: Readonly<Record<string, (args: Args) => string>>;
}

const HANDLE = (of: string) => ({ kind: 'string', required: true, description: of }) as const;
const ACCOUNT_HANDLE = HANDLE('Account handle');
const ORG_HANDLE = HANDLE('Organization handle.');
const LOCALE_DESCRIPTION = "Optional locale (e.g. 'ja', 'de', 'es-MX').";
const VERSION = {
  kind: 'integer',
  description: 'Optional version number. If provided, returns that specific version instead of the latest.',
} as const;

const pick = <T extends Record<string, unknown>>(row: T, keys: readonly (keyof T & string)[]) =>
  Object.fromEntries(keys.map((k) => [k, row[k]]));

/** Versioned reads take `version` as an integer argument and a query string on REST. */
function versionedQuery(args: Args): Params {
  const query: Params = {};
  if (typeof args['locale'] === 'string') query['locale'] = args['locale'];
  if (args['version'] !== undefined) query['version'] = String(args['version']);
  return query;
}

export const USER_TOOLS: readonly UserTool[] = [
  {
    name: 'create_llm_model',
    description: 'Create an LLM model configuration for an account.',
    inputs: {
      handle: ACCOUNT_HANDLE,
      model_handle: { kind: 'string', required: true, description: 'Unique handle for the model within the account' },
      model: {
        kind: 'string',
        required: true,
        description:
          'Model identifier in provider/model format (e.g. anthropic/claude-sonnet-4-20250514). Browse available models at https://models.dev',
      },
      api_key: { kind: 'string', required: true, description: 'Provider API key' },
      base_url: {
        kind: 'string',
        description:
          "Optional base URL to route this model's requests through (e.g. http://glossia-bifrost.glossia.svc.cluster.local:8080/v1). Leave empty to use the provider's default endpoint.",
      },
      default: { kind: 'boolean', description: 'Whether this model should be used when no model handle is configured' },
    },
    route: 'POST /api/:handle/models',
    payload: (a) => pick(a.model, ['id', 'handle', 'model', 'base_url', 'default']),
    invalid: { text: 'Could not create model' },
  },
  {
    name: 'create_organization',
    description: 'Create a new organization. The authenticated user becomes the admin.',
    inputs: {
      handle: HANDLE('Organization handle. Lowercase letters, numbers, and hyphens only. Must start with a letter.'),
      name: { kind: 'string', description: 'Display name for the organization. Defaults to the handle if omitted.' },
    },
    route: 'POST /api/organizations',
    payload: (a) => a,
    invalid: { prefix: 'Validation failed: ' },
  },
  {
    name: 'create_project',
    description: 'Create a new project for an account.',
    inputs: {
      handle: HANDLE('Account handle to create the project under.'),
      project_handle: {
        kind: 'string',
        required: true,
        description: 'URL-friendly project identifier (lowercase letters, numbers, hyphens; 2-39 chars).',
      },
      name: { kind: 'string', required: true, description: 'Display name for the project.' },
    },
    route: 'POST /api/:handle/projects',
    payload: (a) => pick(a, ['handle', 'name', 'inserted_at']),
    invalid: { prefix: 'Validation failed: ' },
  },
  {
    name: 'create_token',
    description: 'Create an account token for an account.',
    inputs: {
      handle: ACCOUNT_HANDLE,
      name: { kind: 'string', required: true, description: 'Token name' },
      description: { kind: 'string', description: 'Token description' },
      scope: { kind: 'string', description: 'Space-separated scopes' },
      expires_in_days: { kind: 'number', description: 'Expiration in days (omit for no expiration)' },
    },
    route: 'POST /api/:handle/tokens',
    // REST takes the days as a form string; the tool takes a number and counts whole days.
    request: ({ expires_in_days: days, ...rest }) =>
      typeof days === 'number' && Math.trunc(days) >= 1 ? { ...rest, expires_in_days: String(Math.trunc(days)) } : rest,
    payload: (a) => ({ ...pick(a.token, ['id', 'name']), plain_token: a.plain_token, ...pick(a.token, ['scope', 'expires_at']) }),
    invalid: { text: 'Could not create token' },
  },
  {
    name: 'delete_llm_model',
    description: 'Delete an LLM model configuration from an account.',
    inputs: { handle: ACCOUNT_HANDLE, model_id: { kind: 'string', required: true, description: 'ID of the model to delete' } },
    route: 'DELETE /api/:handle/models/:id',
    path: { model_id: 'id' },
    peek: (mock, args) =>
      mock.directory.world().models.find((m) => m.account === args['handle'] && m.id === String(args['model_id']).toLowerCase())?.handle,
    payload: (_a, _args, _mock, handle) => ({ status: 'deleted', handle }),
    messages: { 'model not found': () => 'Model not found' },
  },
  {
    name: 'delete_organization',
    description: 'Delete an organization.',
    inputs: { handle: HANDLE('Organization handle to delete.') },
    route: 'DELETE /api/organizations/:handle',
    payload: (_a, args) => ({ deleted: true, handle: args['handle'] }),
  },
  {
    name: 'get_glossary',
    description: 'Get the current terminology for an account, optionally resolved for a specific locale.',
    inputs: {
      handle: HANDLE('Account handle to get terminology for.'),
      locale: { kind: 'string', description: `${LOCALE_DESCRIPTION} If provided, returns only entries with translations for that locale.` },
      version: VERSION,
    },
    route: 'GET /api/:handle/glossary',
    request: versionedQuery,
    // The locale echoes the argument as given.
    payload: (a, args) => (args['locale'] === undefined ? a : { ...a, locale: args['locale'] }),
    messages: { 'no terminology configured': (args) => `No terminology configured for '${String(args['handle'])}'` },
  },
  {
    name: 'get_organization',
    description: 'Get details of an organization by handle.',
    inputs: { handle: ORG_HANDLE },
    route: 'GET /api/organizations/:handle',
    payload: (a) => a,
  },
  {
    name: 'get_voice',
    description: 'Get the current voice configuration for an account, optionally resolved for a specific locale.',
    inputs: {
      handle: HANDLE('Account handle to get voice for.'),
      locale: { kind: 'string', description: `${LOCALE_DESCRIPTION} If provided, returns the merged/resolved voice for that locale.` },
      version: VERSION,
    },
    route: 'GET /api/:handle/voice',
    request: versionedQuery,
    // `locale` is there only when an override matched, and then echoes the argument.
    payload: (a, args) => ('locale' in a ? { ...a, locale: args['locale'] } : a),
    messages: { 'no voice configured': (args) => `No voice configured for '${String(args['handle'])}'` },
  },
  {
    name: 'invite_organization_member',
    description: 'Invite a user to an organization by email.',
    inputs: {
      handle: ORG_HANDLE,
      email: { kind: 'string', required: true, description: 'Email address to invite.' },
      role: { kind: 'string', description: 'Role for the invitee. Defaults to member.' },
    },
    route: 'POST /api/organizations/:handle/invitations',
    payload: (a) => a,
    invalid: { prefix: 'Invitation failed: ' },
  },
  {
    name: 'list_accounts',
    description: 'List organization handles the authenticated user has access to, including the personal organization.',
    inputs: {},
    route: 'GET /api/accounts',
    payload: (a) => a.accounts,
  },
  {
    name: 'list_llm_models',
    description: 'List LLM model configurations for an account.',
    inputs: { handle: ACCOUNT_HANDLE },
    route: 'GET /api/:handle/models',
    payload: (a) => a.models,
  },
  {
    name: 'list_oauth_apps',
    description: 'List OAuth applications for an account.',
    inputs: { handle: ACCOUNT_HANDLE },
    route: 'GET /api/:handle/oauth-apps',
    // The REST listing leaves out the client id; the tool shows it (the record holds it).
    payload: (a, _args, mock) =>
      a.oauth_applications.map((app: Answer) => ({
        ...pick(app, ['id', 'name', 'description', 'homepage_url']),
        client_id: mock.directory.world().oauthApps.find((r) => r.id === app.id)?.client_id ?? null,
        inserted_at: app.inserted_at,
      })),
  },
  {
    name: 'list_organization_invitations',
    description: 'List pending invitations for an organization.',
    inputs: { handle: ORG_HANDLE },
    route: 'GET /api/organizations/:handle/invitations',
    payload: (a) => a.invitations,
  },
  {
    name: 'list_organization_members',
    description: 'List members of an organization.',
    inputs: { handle: ORG_HANDLE },
    route: 'GET /api/organizations/:handle/members',
    payload: (a) => a.members,
  },
  {
    name: 'list_organizations',
    description: 'List organizations the authenticated user belongs to.',
    inputs: {},
    route: 'GET /api/organizations',
    payload: (a) => a.organizations,
  },
  {
    name: 'list_projects',
    description: 'List projects for a given account.',
    inputs: { handle: HANDLE('Account handle to list projects for.') },
    route: 'GET /api/:handle/projects',
    payload: (a) => a.projects.map((p: Answer) => pick(p, ['handle', 'name'])),
  },
  {
    name: 'list_tokens',
    description: 'List account tokens for an account.',
    inputs: { handle: ACCOUNT_HANDLE },
    route: 'GET /api/:handle/tokens',
    payload: (a) => a.tokens.map((t: Answer) => pick(t, ['id', 'name', 'token_prefix', 'scope', 'expires_at', 'last_used_at', 'inserted_at'])),
  },
  {
    name: 'remove_organization_member',
    description: 'Remove a member from an organization.',
    inputs: { handle: ORG_HANDLE, user_handle: { kind: 'string', required: true, description: 'Handle of the user to remove.' } },
    route: 'DELETE /api/organizations/:handle/members/:user_handle',
    path: { user_handle: 'user_handle' },
    payload: (_a, args) => ({ removed: true, user_handle: args['user_handle'] }),
  },
  {
    name: 'revoke_organization_invitation',
    description: 'Revoke a pending invitation for an organization.',
    inputs: { handle: ORG_HANDLE, invitation_id: { kind: 'string', required: true, description: 'ID of the invitation to revoke.' } },
    route: 'DELETE /api/organizations/:handle/invitations/:invitation_id',
    path: { invitation_id: 'invitation_id' },
    payload: (_a, args) => ({ revoked: true, invitation_id: args['invitation_id'] }),
  },
  {
    name: 'revoke_token',
    description: 'Revoke an account token.',
    inputs: { handle: ACCOUNT_HANDLE, token_id: { kind: 'string', required: true, description: 'Token ID to revoke' } },
    route: 'DELETE /api/:handle/tokens/:id',
    path: { token_id: 'id' },
    payload: (a, args) => ({ status: a.status, id: args['token_id'] }),
    messages: { 'token not found': () => 'Token not found' },
  },
  {
    name: 'save_glossary',
    description: 'Create a new terminology version for an account.',
    inputs: {
      handle: HANDLE('Account handle to save terminology for.'),
      change_note: { kind: 'string', description: 'Optional note describing what changed in this version.' },
      entries: {
        kind: 'maps',
        required: true,
        description:
          'List of terminology entries. Each entry is an object with: term (required), definition (optional), case_sensitive (boolean, default false), translations (array of {locale, translation} objects).',
      },
    },
    route: 'POST /api/:handle/glossary',
    payload: (a) => ({ version: a.version, change_note: a.change_note, entry_count: a.entries.length }),
    invalid: { prefix: 'Validation failed: ' },
  },
  {
    name: 'save_voice',
    description: 'Create a new voice version for an account.',
    inputs: {
      handle: HANDLE('Account handle to save voice for.'),
      tone: { kind: 'string', description: 'Voice tone: casual, formal, playful, authoritative, or neutral.' },
      formality: { kind: 'string', description: 'Formality level: informal, neutral, formal, or very_formal.' },
      target_audience: { kind: 'string', description: 'Description of the target audience.' },
      guidelines: { kind: 'string', description: 'Detailed writing/brand guidelines in Markdown.' },
      overrides: {
        kind: 'maps',
        description:
          'Language-specific overrides. Each override is an object with: locale (required), tone, formality, target_audience, guidelines. Non-null fields override the base voice for that locale.',
      },
    },
    route: 'POST /api/:handle/voice',
    payload: (a) => ({
      ...pick(a, ['version', 'tone', 'formality', 'target_audience', 'guidelines']),
      overrides: a.overrides.map((o: Answer) => pick(o, ['locale', 'tone', 'formality'])),
    }),
    invalid: { prefix: 'Validation failed: ' },
  },
  {
    name: 'update_organization',
    description: "Update an organization's name or visibility.",
    inputs: {
      handle: ORG_HANDLE,
      name: { kind: 'string', description: 'New display name.' },
      visibility: { kind: 'string', description: 'New visibility (private or public).' },
    },
    route: 'PATCH /api/organizations/:handle',
    payload: (a) => a,
    invalid: { prefix: 'Update failed: ' },
  },
];
