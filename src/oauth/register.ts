// POST /oauth/register — RFC 7591 dynamic client registration, the subset Glossia reads.
import { createPublicKey } from 'node:crypto';
import type { JWK } from 'jose';
import type { Context } from 'koa';
import { randomAlnum, uuidv4 } from '../crypto/random.js';
import { oauthError, sendJson } from '../http/errors.js';
import type { Mock } from '../mock.js';
import type { StoredClient } from '../store/schema.js';
import { JWT_ALGS } from './client-assertion.js';
import { redirectUriProblem } from './redirect-uri.js';

type Problems = Record<string, string[]>;

const SECRET_METHODS = ['client_secret_basic', 'client_secret_post'] as const;
const JWT_METHODS = ['client_secret_jwt', 'private_key_jwt'] as const;
const KNOWN_METHODS = [...SECRET_METHODS, ...JWT_METHODS, 'none'];

interface Registration {
  name: string;
  redirectUris: string[];
  method: StoredClient['token_endpoint_auth_method'];
  logoUri?: string;
  /** The one key of `jwks` and its algorithm (JWT client authentication). */
  jwk?: JWK;
  jwtAlg?: string;
}

export interface RegistrationRules {
  /** `token_endpoint_auth_method: "none"` makes a public client (else it is dropped). */
  allowPublic: boolean;
  /** client_secret_jwt / private_key_jwt and `jwks` are accepted. */
  jwt: boolean;
}

/** boruta reads `jwks` only when it holds exactly one key; that key's `alg` must be one it knows. */
function readJwks(jwks: unknown, add: (field: string, message: string) => void): Pick<Registration, 'jwk' | 'jwtAlg'> {
  const keys = jwks && typeof jwks === 'object' ? (jwks as { keys?: unknown }).keys : undefined;
  if (!Array.isArray(keys) || keys.length !== 1 || !keys[0] || typeof keys[0] !== 'object') return {};
  const jwk = keys[0] as JWK;
  if (typeof jwk.alg !== 'string' || !(JWT_ALGS as readonly string[]).includes(jwk.alg)) {
    add('token_endpoint_jwt_auth_alg', 'is invalid');
    return {};
  }
  try {
    createPublicKey({ key: jwk as JWK & { kty: string }, format: 'jwk' });
  } catch {
    add('jwk', 'is invalid');
    return {};
  }
  return { jwk, jwtAlg: jwk.alg };
}

/** Pure: what the metadata asks for, or the problems with it, field by field. */
export function readRegistration(body: unknown, rules: RegistrationRules): Registration | Problems {
  const problems: Problems = {};
  const add = (field: string, message: string) => (problems[field] ??= []).push(message);
  const meta = body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : {};

  const name = meta['client_name'];
  if (name !== undefined && typeof name !== 'string') add('client_name', 'is invalid');

  let redirectUris: string[] = [];
  if (Object.hasOwn(meta, 'redirect_uris')) {
    const value = meta['redirect_uris'];
    if (value === null) add('redirect_uris', "can't be blank");
    else if (!Array.isArray(value)) add('redirect_uris', 'is invalid');
    else {
      for (const uri of value) {
        const problem = redirectUriProblem(uri);
        if (problem) add('redirect_uris', problem);
      }
      if (!problems['redirect_uris']) redirectUris = value as string[];
    }
  }

  let method: StoredClient['token_endpoint_auth_method'] = null;
  const requested = meta['token_endpoint_auth_method'];
  if (requested !== undefined) {
    if (typeof requested !== 'string' || !KNOWN_METHODS.includes(requested)) {
      add('token_endpoint_auth_method', 'has an invalid entry');
    } else if (requested === 'none') {
      method = rules.allowPublic ? 'none' : null;
    } else if ((SECRET_METHODS as readonly string[]).includes(requested) || (rules.jwt && (JWT_METHODS as readonly string[]).includes(requested))) {
      method = requested as NonNullable<StoredClient['token_endpoint_auth_method']>;
    } else {
      add('token_endpoint_auth_method', 'is not supported by this server (use client_secret_basic, client_secret_post or none)');
    }
  }

  const logo = meta['logo_uri'];
  const key = rules.jwt && meta['jwks'] !== undefined ? readJwks(meta['jwks'], add) : {};
  if (Object.keys(problems).length > 0) return problems;
  return {
    name: typeof name === 'string' ? name : '',
    redirectUris,
    method,
    ...(typeof logo === 'string' ? { logoUri: logo } : {}),
    ...key,
  };
}

function describe(problems: Problems): string {
  return Object.entries(problems)
    .map(([field, messages]) => `${field}: ${messages.join(', ')}`)
    .join('; ');
}

export const register = (mock: Mock) => async (ctx: Context) => {
  const { profile } = mock;
  const body = (ctx.request as { body?: unknown }).body;
  if (profile.registrationRfcFields && (body === null || typeof body !== 'object' || Array.isArray(body))) {
    throw oauthError(400, 'invalid_client_metadata', 'The request body must be a JSON object of client metadata.');
  }
  const read = readRegistration(body, { allowPublic: profile.registerPublicClients, jwt: profile.jwtClientAuth });
  if (!('redirectUris' in read)) {
    const problems = read as Problems;
    throw oauthError(400, 'invalid_client_metadata', profile.registrationErrorShape === 'object' ? problems : describe(problems));
  }
  const reg = read as Registration;
  const isPublic = reg.method === 'none';
  const now = mock.clock.now();
  const client: StoredClient = {
    client_id: uuidv4(),
    client_secret: isPublic ? null : randomAlnum(86),
    client_name: reg.name,
    redirect_uris: reg.redirectUris,
    grant_types: [...profile.registeredGrantTypes],
    token_endpoint_auth_method: reg.method,
    registered_auth_method: reg.method ?? 'client_secret_basic',
    ...(reg.logoUri !== undefined ? { logo_uri: reg.logoUri } : {}),
    ...(reg.jwk !== undefined ? { jwk: reg.jwk, jwt_alg: reg.jwtAlg! } : {}),
    created_at: now,
    source: 'registration',
  };
  await mock.clients.add(client);

  const response: Record<string, unknown> = { client_id: client.client_id };
  if (client.client_secret !== null) response['client_secret'] = client.client_secret;
  Object.assign(response, {
    redirect_uris: client.redirect_uris,
    grant_types: client.grant_types,
    token_endpoint_auth_method: client.registered_auth_method,
  });
  if (profile.registrationRfcFields) {
    response['client_name'] = client.client_name;
    response['client_id_issued_at'] = now;
    if (client.client_secret !== null) response['client_secret_expires_at'] = 0;
  }
  sendJson(ctx, 201, response);
};
