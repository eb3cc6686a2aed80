// GET /api/openapi.json: an OpenAPI 3.1 document generated from the same route declarations the
// router serves (plus the OAuth endpoints), so it lists exactly what this server answers.
import type { Context } from 'koa';
import { sendJson } from '../http/errors.js';
import type { Mock } from '../mock.js';
import { SCOPE_DESCRIPTIONS, SCOPES } from '../oauth/scopes.js';
import { apiRoutes } from './index.js';
import type { ApiRoute } from './route.js';

type Json = Record<string, unknown>;

const error = (description: string): Json => ({ description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } });

const apiError = (description: string): Json => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/ApiError' } } },
});

const PAGINATION = ['page', 'page_size', 'limit', 'offset'].map((name) => ({
  name,
  in: 'query',
  required: false,
  schema: { type: 'integer', minimum: name === 'offset' ? 0 : 1, ...(name.endsWith('size') || name === 'limit' ? { maximum: 1000 } : {}) },
}));

/** `/api/:handle/x/:id` → `/api/{handle}/x/{id}` */
export const openApiPath = (koaPath: string): string => koaPath.replace(/:([A-Za-z_]+)/g, '{$1}');

function operation(route: ApiRoute): Json {
  const pathParams = [...route.path.matchAll(/:([A-Za-z_]+)/g)].map((m) => ({
    name: m[1],
    in: 'path',
    required: true,
    schema: { type: 'string' },
  }));
  const query = (route.queryParams ?? []).map((name) => ({ name, in: 'query', required: false, schema: { type: 'string' } }));
  const op: Json = {
    summary: route.summary,
    tags: [route.tag],
    security: [{ oauth2: [route.scope] }, { bearerAuth: [] }],
    parameters: [...pathParams, ...(route.paginated ? PAGINATION : []), ...query],
    responses: {
      [String(route.status)]: route.status === 204 ? { description: 'No content' } : { description: 'Success', content: { 'application/json': { schema: { type: 'object' } } } },
      '401': error('Missing (`unauthorized`) or invalid (`invalid_token`) bearer token'),
      '403': error(`Token lacks \`${route.scope}\` (\`insufficient_scope\`) or the user may not do this (\`not_authorized\`)`),
      ...(route.envelope === 'api_error'
        ? {
            '404': apiError('Unknown account (`account not found`) or model (`model \'<handle>\' not found — configure it in account settings`)'),
            '422': apiError('`missing required field: <field>` or `unsupported format: <format>`'),
            '502': apiError('The model provider failed'),
          }
        : {
            ...(route.target ? { '404': error('Unknown account or organization') } : {}),
            ...(route.method === 'post' || route.method === 'patch' ? { '422': error('Validation failed: {"errors":{field:[messages]}}') } : {}),
          }),
      '429': error('Rate limit exceeded'),
    },
  };
  if (route.body)
    op['requestBody'] = {
      required: true,
      content: {
        'application/json': {
          schema: { type: 'object', properties: Object.fromEntries(Object.entries(route.body).map(([k, t]) => [k, { type: t }])) },
        },
      },
    };
  return op;
}

/** The OAuth endpoints, described by hand: they are not API routes but part of the same surface. */
function oauthPaths(): Record<string, Json> {
  const form = (fields: string[], required: string[]): Json => ({
    required: true,
    content: {
      'application/x-www-form-urlencoded': {
        schema: { type: 'object', required, properties: Object.fromEntries(fields.map((f) => [f, { type: 'string' }])) },
      },
    },
  });
  const oauthError = error('OAuth error `{"error","error_description"}`');
  return {
    '/.well-known/oauth-authorization-server': { get: { summary: 'Authorization server metadata (RFC 8414)', tags: ['OAuth'], responses: { '200': { description: 'Metadata' } } } },
    '/.well-known/oauth-protected-resource': { get: { summary: 'Protected resource metadata (RFC 9728)', tags: ['OAuth'], responses: { '200': { description: 'Metadata' } } } },
    '/oauth/authorize': {
      get: {
        summary: 'Start an authorization code flow (PKCE S256)',
        tags: ['OAuth'],
        parameters: ['response_type', 'client_id', 'redirect_uri', 'code_challenge', 'code_challenge_method', 'scope', 'state'].map((name) => ({
          name,
          in: 'query',
          required: !['scope', 'state'].includes(name),
          schema: { type: 'string' },
        })),
        responses: { '200': { description: 'Sign-in or consent page' }, '302': { description: 'Redirect to the client with a code or an error' } },
      },
    },
    '/oauth/token': {
      post: {
        summary: 'Exchange a code, refresh token or device code for tokens',
        tags: ['OAuth'],
        requestBody: form(['grant_type', 'code', 'redirect_uri', 'code_verifier', 'refresh_token', 'device_code', 'scope', 'client_id', 'client_secret'], ['grant_type']),
        responses: { '200': { description: 'Tokens', content: { 'application/json': { schema: { $ref: '#/components/schemas/TokenResponse' } } } }, '400': oauthError, '401': oauthError },
      },
    },
    '/oauth/register': {
      post: {
        summary: 'Dynamic client registration (RFC 7591)',
        tags: ['OAuth'],
        requestBody: { required: true, content: { 'application/json': { schema: { type: 'object', properties: { client_name: { type: 'string' }, redirect_uris: { type: 'array', items: { type: 'string' } }, token_endpoint_auth_method: { type: 'string' } } } } } },
        responses: { '201': { description: 'The new client' }, '400': oauthError },
      },
    },
    '/oauth/revoke': { post: { summary: 'Revoke a token (RFC 7009)', tags: ['OAuth'], requestBody: form(['token', 'token_type_hint', 'client_id', 'client_secret'], ['token']), responses: { '200': { description: 'Revoked (also for unknown tokens)' }, '400': oauthError, '401': oauthError } } },
    '/oauth/introspect': { post: { summary: 'Introspect a token (RFC 7662)', tags: ['OAuth'], requestBody: form(['token', 'client_id', 'client_secret'], ['token']), responses: { '200': { description: 'Token state' }, '400': oauthError, '401': oauthError } } },
    '/oauth/device_authorization': { post: { summary: 'Start a device flow (RFC 8628), first-party clients', tags: ['OAuth'], requestBody: form(['client_id', 'scope'], ['client_id']), responses: { '200': { description: 'Device and user codes' }, '400': oauthError, '401': oauthError } } },
    '/up': { get: { summary: 'Health check', tags: ['Health'], responses: { '200': { description: 'Ready' } } } },
  };
}

export function openApiDocument(mock: Mock): Json {
  const paths: Record<string, Json> = oauthPaths();
  if (mock.profile.publishJwks)
    paths['/.well-known/jwks.json'] = { get: { summary: 'Access token signing keys', tags: ['OAuth'], responses: { '200': { description: 'JWK set' } } } };
  paths['/api/openapi.json'] = { get: { summary: 'This document', tags: ['Meta'], responses: { '200': { description: 'OpenAPI 3.1 document' } } } };
  for (const route of apiRoutes(mock.profile)) {
    const path = openApiPath(route.path);
    paths[path] = { ...(paths[path] ?? {}), [route.method]: operation(route) };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Glossia API', version: '1.0.0', description: `Served by glossia-mock (profile ${mock.profile.name}).` },
    servers: [{ url: mock.issuer, description: 'Glossia server' }],
    paths,
    components: {
      securitySchemes: {
        oauth2: {
          type: 'oauth2',
          flows: {
            authorizationCode: {
              authorizationUrl: `${mock.issuer}/oauth/authorize`,
              tokenUrl: `${mock.issuer}/oauth/token`,
              refreshUrl: `${mock.issuer}/oauth/token`,
              scopes: Object.fromEntries(SCOPES.map((s) => [s, SCOPE_DESCRIPTIONS[s] ?? ''])),
            },
          },
        },
        bearerAuth: { type: 'http', scheme: 'bearer', description: 'An OAuth access token or an account token (glsa_…)' },
      },
      schemas: {
        Error: { type: 'object', properties: { error: { type: 'string' }, error_description: { type: 'string' }, required_scope: { type: 'string' } } },
        ApiError: {
          type: 'object',
          required: ['error'],
          properties: {
            error: {
              type: 'object',
              required: ['message', 'type', 'code'],
              properties: { message: { type: 'string' }, type: { type: 'string', enum: ['api_error'] }, code: { type: 'null' } },
            },
          },
        },
        TokenResponse: {
          type: 'object',
          required: ['access_token', 'token_type', 'expires_in'],
          properties: {
            access_token: { type: 'string' },
            token_type: { type: 'string', enum: ['bearer'] },
            expires_in: { type: 'integer' },
            refresh_token: { type: 'string' },
            scope: { type: 'string' },
            id_token: { type: 'string' },
          },
        },
      },
    },
  };
}

export const serveOpenApi = (mock: Mock) => {
  // Routes and issuer are fixed once the server listens, so the document is built once.
  let cached: Json | null = null;
  return (ctx: Context) => sendJson(ctx, 200, (cached ??= openApiDocument(mock)), { 'Cache-Control': 'no-cache' });
};
