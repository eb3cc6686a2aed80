// Reading journal entries the way the checks need them.
import type { CredentialKind } from '../journal/journal.js';
import { isMcpPath } from '../mcp/request.js';
import type { Observed } from './check.js';

/** An authorization request as the client sent it (the consent form's POST is the user's). */
export const isAuthorization = (e: Observed): boolean => e.method === 'GET' && e.path === '/oauth/authorize';

/**
 * The same authorization request comes back after sign-in and consent with the same state and
 * challenge; a new one has a new challenge.
 */
export const authorizationKey = (e: Observed): string => `${e.query['state'] ?? ''} ${e.query['code_challenge'] ?? ''}`;

export const isGrant = (e: Observed, grant: string): boolean =>
  e.method === 'POST' && e.path === '/oauth/token' && e.facts?.grant_type === grant;

/** The fingerprint of the credential of this kind the request presented. */
export const credentialOf = (e: Observed, kind: CredentialKind): string | undefined =>
  e.facts?.credential?.kind === kind ? e.facts.credential.fp : undefined;

/** An authorization answered with a code (auto-approval, or the consent form). */
export const issuedCode = (e: Observed): boolean => e.path === '/oauth/authorize' && e.location !== undefined && /[?&#]code=/.test(e.location);

/** The redirect URI an authorization request named (query for GET, body for the consent POST). */
export const authorizationRedirect = (e: Observed): string | undefined => e.query['redirect_uri'] ?? e.facts?.redirect_uri;

export const refused = (e: Observed): boolean => e.status === 400 || e.status === 401;

export const isApi = (e: Observed): boolean => e.path.startsWith('/api/');

/** A call with an access token: the REST API or the MCP server. */
export const isResourceCall = (e: Observed): boolean => isApi(e) || isMcpPath(e.path);

export const seconds = (ms: number): string => `${Math.round(ms / 100) / 10} s`;

export const scopesOf = (value: string | undefined): string[] => (value ?? '').split(' ').filter((s) => s !== '');
