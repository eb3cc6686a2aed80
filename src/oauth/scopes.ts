// Glossia's 36 scopes (reference 6.1), in discovery order, with the descriptions Glossia publishes
// (only 19 have one; the rest get a description written for the mock's consent page).

export const SCOPE_DESCRIPTIONS: Readonly<Record<string, string>> = {
  'account:read': 'List organization accounts you can access',
  'admin:read': 'Read instance administration data',
  'admin:write': 'Change instance administration settings',
  'api_credentials:read': 'Read account tokens and OAuth applications',
  'api_credentials:write': 'Create, update and revoke account tokens and OAuth applications',
  'discussion:admin': 'Moderate discussions',
  'discussion:read': 'Read discussions',
  'discussion:write': 'Create and reply to discussions',
  'glossary:admin': 'Manage terminology settings',
  'glossary:read': 'Read terminology entries',
  'glossary:write': 'Create or update terminology entries',
  'llm_model:read': 'Read LLM model configurations',
  'llm_model:write': 'Create, update and delete LLM model configurations',
  'members:read': 'Read organization members and invitations',
  'members:write': 'Manage organization members and invitations',
  'ops:read': 'Read operational metrics',
  'organization:admin': 'Administrative organization actions',
  'organization:delete': 'Delete organizations',
  'organization:read': 'Read organization details (and list your organizations)',
  'organization:write': 'Create or update organizations',
  'project:admin': 'Administrative project actions',
  'project:delete': 'Delete projects',
  'project:read': 'Read projects',
  'project:write': 'Create or update projects',
  'quality:admin': 'Manage quality checks',
  'quality:read': 'Read quality reports',
  'quality:write': 'Run and update quality checks',
  'ticket:admin': 'Manage tickets',
  'ticket:read': 'Read tickets',
  'ticket:write': 'Create and update tickets',
  'translation:write': 'Translate content with your account models',
  'user:read': 'Read user profile information',
  'user:write': 'Update user profile',
  'voice:admin': 'Administrative voice actions',
  'voice:read': 'Read voice configuration',
  'voice:write': 'Create or update voice configuration',
};

export const SCOPES: readonly string[] = Object.keys(SCOPE_DESCRIPTIONS).sort();

/** Accepted at /oauth/authorize though not advertised (reference 5.8). */
export const OPENID = 'openid';

export function parseScope(value: string): string[] {
  return value.split(' ').filter((s) => s !== '');
}

/** Every requested scope is known and none is repeated (a repeat is an error at Glossia too). */
export function unknownOrRepeated(scopes: readonly string[]): boolean {
  const seen = new Set<string>();
  for (const s of scopes) {
    if (seen.has(s) || (s !== OPENID && !Object.hasOwn(SCOPE_DESCRIPTIONS, s))) return true;
    seen.add(s);
  }
  return false;
}

export function hasScope(granted: string, wanted: string): boolean {
  return parseScope(granted).includes(wanted);
}

/**
 * The requested order with `openid` moved last: boruta intersects the request with the user's
 * scopes (which lack openid) and then appends what only the client and public lists allowed.
 */
export function openidLast(scopes: readonly string[]): string[] {
  return [...scopes.filter((s) => s !== OPENID), ...scopes.filter((s) => s === OPENID)];
}
