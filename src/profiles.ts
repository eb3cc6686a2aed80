// Every behavioural difference between Glossia's public guide and its real server lives here,
// as data. Handlers read `profile.x`; nothing else branches on the profile's name.

export type ProfileName = 'documented' | 'production';

/** `[error, error_description]` for the situations where guide/RFC and server disagree. */
export type ErrorPair = readonly [error: string, description: string];

export interface ProfileErrors {
  /** Unknown, expired, used or mis-bound authorization code. */
  readonly invalidCode: ErrorPair;
  /** code_verifier does not hash to the code_challenge (RFC 7636 4.6 says invalid_grant). */
  readonly pkceMismatch: ErrorPair;
  /** grant_type the server does not know. */
  readonly unknownGrantType: ErrorPair;
}

export interface Profile {
  readonly name: ProfileName;
  /** `jwt`: RS256 RFC 9068 access tokens (the guide's `eyJhbGciOiJSUzI1...`); `opaque`: 86 alnum chars. */
  readonly accessTokenFormat: 'jwt' | 'opaque';
  /** Default access-token lifetime in seconds (guide: 3600; server: 86400). */
  readonly accessTokenTtl: number;
  /** The server reports the whole seconds left, which is one less than the lifetime just after issue. */
  readonly expiresInRoundsDown: boolean;
  /** PKCE methods /oauth/authorize accepts. */
  readonly pkceMethods: readonly ('S256' | 'plain')[];
  /** Method assumed when `code_challenge_method` is omitted; null = the parameter is required. */
  readonly pkceDefaultMethod: 'S256' | 'plain' | null;
  /** The granted scope (consent list, code, tokens) keeps the requested order but puts `openid` last (boruta). */
  readonly openidLast: boolean;
  /** Scope granted when `scope` is omitted. */
  readonly defaultScope: string;
  /** How /oauth/authorize reports errors once the client and redirect URI are known good. */
  readonly authorizeErrors: 'redirect' | 'json';
  /** Consent page has a Deny button (and scope descriptions). */
  readonly consentDeny: boolean;
  readonly consentScopeDescriptions: boolean;
  /**
   * How the code response joins a registered redirect URI's own query: `append` keeps it byte for
   * byte (RFC 6749 3.1.2); `boruta` decodes it into a map, merges the response in and re-encodes it
   * all (response members first, then the URI's keys once each in byte order; redirect-query.ts).
   */
  readonly redirectQuery: 'append' | 'boruta';
  /** The authorization response carries `expires_in` next to `code` (a boruta quirk). */
  readonly codeRedirectExpiresIn: boolean;
  readonly errors: ProfileErrors;
  /** S256 challenges must be 43 base64url characters and verifiers 43-128 unreserved characters (RFC 7636). */
  readonly strictPkceFormat: boolean;
  /** Glossia compares the code_verifier before looking at expiry/use; the strict order is the reverse. */
  readonly verifierBeforeExpiry: boolean;
  /** Revocation and introspection need the client to hold `revoke` / `introspect` grants (boruta). */
  readonly endpointGrants: boolean;
  /** Registration answers with the RFC 7591 optional fields (client_name, issued_at, secret expiry). */
  readonly registrationRfcFields: boolean;
  /** A replayed code revokes the tokens it issued (RFC 6749 4.1.2 / OAuth 2.1). */
  readonly codeReplayRevokesGrant: boolean;
  /** A reused (already rotated) refresh token revokes its whole family (OAuth 2.1 4.3.1). */
  readonly refreshReuseRevokesFamily: boolean;
  /**
   * The authorization_code exchange checks client_id against boruta's UUID pattern first (400
   * invalid_request naming the pattern); without it a malformed id is an unknown client (401).
   */
  readonly tokenClientIdPattern: boolean;
  /** Confidential clients must authenticate at the authorization_code exchange. */
  readonly authenticateCodeExchange: boolean;
  /** Revoking a refresh token ends its whole family (else only the token and its paired access token). */
  readonly revokeRefreshRevokesFamily: boolean;
  /** Revocation refuses tokens that belong to another client (RFC 7009 2.1). */
  readonly revokeChecksOwnership: boolean;
  /** Registration honours `token_endpoint_auth_method: "none"` by creating a public client. */
  readonly registerPublicClients: boolean;
  /** `grant_types` answered by /oauth/register (the server ignores the request's value). */
  readonly registeredGrantTypes: readonly string[];
  /** Registration errors: RFC 7591 string description, or the server's field => messages object. */
  readonly registrationErrorShape: 'string' | 'object';
  /** Serve /.well-known/jwks.json and advertise `jwks_uri` (and auth-method metadata). */
  readonly publishJwks: boolean;
  /** Introspection answers: RFC 7662 (`{active:false}`, aud/jti/token_type) or boruta's fixed member set. */
  readonly introspectShape: 'rfc' | 'boruta';
  /** Token responses carry `scope` (RFC 6749 5.1; Glossia's server never sends it). */
  readonly tokenResponseScope: boolean;
  /** `GET /api/projects` (the guide's example call) exists. */
  readonly flatProjectsRoute: boolean;
  /** Signed-out browsers go to sign-in before the authorization request is validated (even garbage). */
  readonly loginBeforeValidation: boolean;
  /** `response_mode` values /oauth/authorize accepts (the code still comes back in the query). */
  readonly responseModes: readonly string[];
  /** A repeated query/form parameter: `reject` (RFC 6749 3.1) or the `last` value wins (Phoenix). */
  readonly repeatedParams: 'reject' | 'last';
  /**
   * `response_type`s /oauth/authorize serves. `token` is the implicit flow, for clients holding the
   * `implicit` grant (every dynamically registered client of the real server).
   */
  readonly responseTypes: readonly ('code' | 'token')[];
  /** Grants /oauth/token serves beyond authorization_code, refresh_token and the device grant. */
  readonly extraTokenGrants: readonly ('password' | 'client_credentials')[];
  /** Registration accepts client_secret_jwt / private_key_jwt (with `jwks`), and the token endpoint client assertions. */
  readonly jwtClientAuth: boolean;
  /**
   * HTTP Basic client credentials: `rfc` (RFC 6749 2.3.1: form-urlencoded halves, the body must not
   * disagree or add a secret) or `boruta` (no URL-decoding, one colon, the header wins, 400s).
   */
  readonly basicAuth: 'rfc' | 'boruta';
  /** A `*` in a registered redirect URI matches one DNS label (3-63 of [A-Za-z0-9-]), as boruta does. */
  readonly redirectUriWildcards: boolean;
  /** multipart/form-data bodies are parsed like forms on every route. */
  readonly multipartBodies: boolean;
  /**
   * A body that cannot be parsed: the mock's invalid_request naming the problem, or Phoenix's
   * Plug.Parsers 400 `{"errors":{"detail":"Bad Request"}}`, raised in the endpoint before any route (reference 11A.1 row 6).
   */
  readonly unparsableBody: 'oauth' | 'phoenix';
  /** Status of a bad pagination/sort/filter parameter: 400 naming it, or Flop's crash (500). */
  readonly badListParamsStatus: 400 | 500;
  /** The API's 401 invalid_token (and its 429) carry `content-type: application/json`. */
  readonly invalidTokenContentType: boolean;
  /** id_token signature: the issuer's RS256 key (in the JWKS), or a per-client RSA-1024 key with RS512 (boruta). */
  readonly idTokenSigning: 'issuer-rs256' | 'client-rs512';
  /**
   * Where a profile that claims the real server's behaviour still differs from it on purpose,
   * printed at start-up; one entry per ledger row with a gap (docs/fidelity.md). The documented
   * profile follows the guide instead, so it claims nothing here.
   */
  readonly deliberateDifferences: readonly string[];
  /**
   * Grants of a client created as an OAuth app (POST /api/:handle/oauth-apps, dashboard). The server
   * gives only `authorization_code` (reference 3); the guide (steps 6-7) tells dashboard-app users to
   * refresh and revoke, so the documented profile adds `refresh_token` and `revoke`.
   */
  readonly oauthAppGrantTypes: readonly string[];
  /**
   * A 401 from /mcp carries `WWW-Authenticate: Bearer resource_metadata="<issuer>/.well-known/oauth-protected-resource"`
   * as Glossia's MCP docs and the MCP authorization spec lead clients to expect; the server sends no
   * challenge without a token and a bare `Bearer` for a bad one (reference 11A.1 rows 7-8).
   */
  readonly mcpResourceMetadata: boolean;
  /**
   * Who speaks Streamable HTTP on /mcp: the MCP SDK's transport (sessions bound at initialize, 404 for
   * unknown ids, SSE or JSON answers), or Hermes 0.14.1 as deployed (reference 11A.1 rows 19-30:
   * `session_…` ids taken from the request, unknown ids start uninitialized sessions, the
   * "Server not initialized" gate, `err_…` ids, its 400/405/406 answers, GET streams that carry the
   * answers of POSTs, and a crashing tool answers 400 server_unavailable and drops every session).
   */
  readonly mcpTransport: 'sdk' | 'hermes';
  /** Protocol versions `initialize` echoes, the first being the answer to any other; null = the SDK's. */
  readonly mcpProtocolVersions: readonly string[] | null;
  /** Phoenix's `accepts ["json"]` runs before authentication: an Accept without JSON is a 406 HTML page (row 5). */
  readonly mcpAcceptBeforeAuth: boolean;
  /** Tool fields of type number or list of objects accept values, or refuse every value (reference 11A.2). */
  readonly mcpUntypedFields: 'accepted' | 'refused';
  /** Validated arguments reach the tools; the server as deployed hands them over under keys no tool reads (11A.2). */
  readonly mcpArgumentsReachTools: boolean;
  /**
   * Wording of the dashboard's OAuth-app pages. The guide ("Option A") says sidebar "API" → "OAuth
   * apps" → "New application" → "Callback URL" → "Create application"; the server (reference 10,
   * 16 rows 15-18) says "Settings", "Register application", "Register a new OAuth application",
   * "Authorization callback URL" and "Save".
   */
  readonly dashboardLabels: {
    /** Sidebar group holding the "OAuth apps" item. */
    readonly sidebarGroup: string;
    /** Title of the list page. */
    readonly listTitle: string;
    /** The list page's button to the form. */
    readonly newButton: string;
    /** Title of the form page. */
    readonly newTitle: string;
    /** Label of the redirect URI field. */
    readonly callbackLabel: string;
    /** The form's submit button. */
    readonly submit: string;
  };
}

export const documented: Profile = Object.freeze({
  name: 'documented',
  accessTokenFormat: 'jwt',
  accessTokenTtl: 3600,
  expiresInRoundsDown: false,
  pkceMethods: ['S256'],
  pkceDefaultMethod: null,
  openidLast: false,
  defaultScope: 'user:read',
  authorizeErrors: 'redirect',
  consentDeny: true,
  consentScopeDescriptions: true,
  redirectQuery: 'append',
  codeRedirectExpiresIn: false,
  errors: {
    invalidCode: ['invalid_grant', 'The authorization code has expired or was already used.'],
    pkceMismatch: ['invalid_grant', 'Code verifier is invalid.'],
    unknownGrantType: ['unsupported_grant_type', 'The grant_type is not supported by this server.'],
  },
  strictPkceFormat: true,
  verifierBeforeExpiry: false,
  endpointGrants: false,
  registrationRfcFields: true,
  codeReplayRevokesGrant: true,
  refreshReuseRevokesFamily: true,
  tokenClientIdPattern: false,
  authenticateCodeExchange: true,
  revokeRefreshRevokesFamily: true,
  revokeChecksOwnership: true,
  registerPublicClients: true,
  registeredGrantTypes: ['authorization_code', 'refresh_token'],
  registrationErrorShape: 'string',
  publishJwks: true,
  introspectShape: 'rfc',
  tokenResponseScope: true,
  flatProjectsRoute: true,
  loginBeforeValidation: false,
  responseModes: ['query'],
  repeatedParams: 'reject',
  responseTypes: ['code'],
  extraTokenGrants: [],
  jwtClientAuth: false,
  basicAuth: 'rfc',
  redirectUriWildcards: false,
  multipartBodies: false,
  unparsableBody: 'oauth',
  badListParamsStatus: 400,
  invalidTokenContentType: true,
  idTokenSigning: 'issuer-rs256',
  deliberateDifferences: [],
  oauthAppGrantTypes: ['authorization_code', 'refresh_token', 'revoke'],
  mcpResourceMetadata: true,
  mcpTransport: 'sdk',
  mcpProtocolVersions: null,
  mcpAcceptBeforeAuth: false,
  mcpUntypedFields: 'accepted',
  mcpArgumentsReachTools: true,
  // The guide's words for the dashboard's OAuth-app pages (Option A).
  dashboardLabels: {
    sidebarGroup: 'API',
    listTitle: 'OAuth apps',
    newButton: 'New application',
    newTitle: 'New application',
    callbackLabel: 'Callback URL',
    submit: 'Create application',
  },
} as const satisfies Profile);

export const production: Profile = Object.freeze({
  name: 'production',
  accessTokenFormat: 'opaque',
  accessTokenTtl: 86400,
  expiresInRoundsDown: true,
  pkceMethods: ['S256', 'plain'],
  pkceDefaultMethod: 'plain',
  openidLast: true,
  defaultScope: '',
  authorizeErrors: 'json',
  consentDeny: false,
  consentScopeDescriptions: false,
  redirectQuery: 'boruta',
  codeRedirectExpiresIn: true,
  errors: {
    invalidCode: ['invalid_grant', 'Given authorization code is invalid, revoked, or expired.'],
    pkceMismatch: ['invalid_request', 'Code verifier is invalid.'],
    unknownGrantType: [
      'invalid_request',
      'Request body validation failed. #/grant_type do match required pattern /^(client_credentials|password|authorization_code|refresh_token)$/.',
    ],
  },
  strictPkceFormat: false,
  verifierBeforeExpiry: true,
  endpointGrants: true,
  registrationRfcFields: false,
  codeReplayRevokesGrant: false,
  refreshReuseRevokesFamily: false,
  tokenClientIdPattern: true,
  authenticateCodeExchange: false,
  revokeRefreshRevokesFamily: false,
  revokeChecksOwnership: false,
  registerPublicClients: false,
  registeredGrantTypes: [
    'client_credentials',
    'password',
    'authorization_code',
    'refresh_token',
    'implicit',
    'revoke',
    'introspect',
  ],
  registrationErrorShape: 'object',
  publishJwks: false,
  introspectShape: 'boruta',
  tokenResponseScope: false,
  flatProjectsRoute: false,
  loginBeforeValidation: true,
  responseModes: ['query', 'fragment'],
  repeatedParams: 'last',
  responseTypes: ['code', 'token'],
  extraTokenGrants: ['password', 'client_credentials'],
  jwtClientAuth: true,
  basicAuth: 'boruta',
  redirectUriWildcards: true,
  multipartBodies: true,
  unparsableBody: 'phoenix',
  badListParamsStatus: 500,
  invalidTokenContentType: false,
  idTokenSigning: 'client-rs512',
  deliberateDifferences: [
    'sign-in picks a fixture user (no passwords, no GitHub/GitLab)',
    'inputs that crash the real server get clear 4xx answers (Flop’s 500 excepted)',
    'a deleted OAuth app’s tokens stop working',
    'the dashboard has no account-token pages',
    'jwks_uri is never fetched',
    'request/request_uri (JAR) are ignored',
    'per-client id_token keys last until a restart',
    'POST /api/:handle/translate pseudo-localises offline (no model runs)',
  ],
  oauthAppGrantTypes: ['authorization_code'],
  mcpResourceMetadata: false,
  mcpTransport: 'hermes',
  mcpProtocolVersions: ['2025-03-26', '2024-05-11', '2024-10-07'],
  mcpAcceptBeforeAuth: true,
  mcpUntypedFields: 'refused',
  mcpArgumentsReachTools: false,
  // The server's dashboard (dashboard_live.ex, platform.html.heex; reference 10).
  dashboardLabels: {
    sidebarGroup: 'Settings',
    listTitle: 'OAuth applications',
    newButton: 'Register application',
    newTitle: 'Register a new OAuth application',
    callbackLabel: 'Authorization callback URL',
    submit: 'Save',
  },
} as const satisfies Profile);

export const profiles: Readonly<Record<ProfileName, Profile>> = { documented, production };

export function isProfileName(value: string): value is ProfileName {
  return Object.hasOwn(profiles, value);
}
