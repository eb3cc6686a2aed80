// The "ceiling" of `npm run bench`: the least a Koa 3 + jose OAuth server can do for the same
// requests — a static discovery document and JWKS, an authorization endpoint that redirects with a
// code, a token endpoint that checks PKCE S256 and signs an RS256 JWT, and an API read that verifies
// one. No router, no body-parser package, no persistence, no checks beyond these: a number the mock
// is measured against on the same machine in the same run, not a product.
//
//   node bench/ceiling.js [PORT]     prints "  listening http://127.0.0.1:PORT"
import { createHash, randomBytes } from 'node:crypto';
import Koa from 'koa';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, jwtVerify, SignJWT } from 'jose';

const CLIENT = { id: '0b5e3d8c-7f2a-4c1e-9a6b-3d2f1e0c9b8a', secret: '4DonTWojcxIQHy2EnFkLm1SZn9Z4wn9YLN7oCyfmiJo96qRAYwCjvdCCIVnuHYTFzDmH2kwIED1nmljMLEc1cU', redirectUri: 'http://localhost:3000/callback' };
const app = new Koa();
let issuer = '';
let metadata = null;
// Generated while the server starts listening, as the mock does: the first token waits for it.
const key = generateKeyPair('RS256').then(async ({ privateKey, publicKey }) => {
  const jwk = { ...(await exportJWK(publicKey)), alg: 'RS256', use: 'sig' };
  jwk.kid = await calculateJwkThumbprint(jwk);
  return { privateKey, publicKey, kid: jwk.kid, jwks: { keys: [jwk] } };
});
const codes = new Map();
const refreshTokens = new Map();
const s256 = (v) => createHash('sha256').update(v).digest('base64url');
const random = () => randomBytes(48).toString('base64url');

async function formBody(req) {
  let text = '';
  for await (const chunk of req) text += chunk;
  return Object.fromEntries(new URLSearchParams(text));
}

async function issue(ctx, userId, scope) {
  const { privateKey, kid } = await key;
  const accessToken = await new SignJWT({ client_id: CLIENT.id, scope })
    .setProtectedHeader({ alg: 'RS256', typ: 'at+jwt', kid })
    .setIssuer(issuer).setSubject(userId).setAudience(issuer).setIssuedAt().setExpirationTime('1h').setJti(random())
    .sign(privateKey);
  const refreshToken = random();
  refreshTokens.set(refreshToken, { userId, scope });
  ctx.set('Cache-Control', 'no-store');
  ctx.body = { access_token: accessToken, token_type: 'bearer', expires_in: 3600, refresh_token: refreshToken, scope };
}

const oauthError = (ctx, status, error) => {
  ctx.status = status;
  ctx.body = { error };
};

app.use(async (ctx) => {
  if (ctx.method === 'GET' && ctx.path === '/.well-known/oauth-authorization-server') ctx.body = metadata;
  else if (ctx.method === 'GET' && ctx.path === '/.well-known/jwks.json') ctx.body = (await key).jwks;
  else if (ctx.method === 'GET' && ctx.path === '/oauth/authorize') {
    const q = ctx.query;
    if (q.client_id !== CLIENT.id || q.redirect_uri !== CLIENT.redirectUri) return oauthError(ctx, 400, 'invalid_request');
    if (q.response_type !== 'code' || q.code_challenge_method !== 'S256' || typeof q.code_challenge !== 'string') return oauthError(ctx, 400, 'invalid_request');
    const code = random();
    codes.set(code, { challenge: q.code_challenge, userId: 'dev', scope: q.scope ?? 'user:read', expires: Date.now() + 60_000 });
    ctx.redirect(`${CLIENT.redirectUri}?${new URLSearchParams({ code, state: q.state ?? '' })}`);
  } else if (ctx.method === 'POST' && ctx.path === '/oauth/token') {
    const body = await formBody(ctx.req);
    if (body.client_id !== CLIENT.id || body.client_secret !== CLIENT.secret) return oauthError(ctx, 401, 'invalid_client');
    if (body.grant_type === 'authorization_code') {
      const c = codes.get(body.code);
      codes.delete(body.code);
      if (!c || c.expires < Date.now() || body.redirect_uri !== CLIENT.redirectUri || s256(body.code_verifier ?? '') !== c.challenge)
        return oauthError(ctx, 400, 'invalid_grant');
      return issue(ctx, c.userId, c.scope);
    }
    if (body.grant_type === 'refresh_token') {
      const r = refreshTokens.get(body.refresh_token);
      refreshTokens.delete(body.refresh_token);
      if (!r) return oauthError(ctx, 400, 'invalid_grant');
      return issue(ctx, r.userId, r.scope);
    }
    oauthError(ctx, 400, 'unsupported_grant_type');
  } else if (ctx.method === 'GET' && ctx.path === '/api/projects') {
    const m = /^Bearer (\S+)$/.exec(ctx.get('Authorization'));
    if (!m) return oauthError(ctx, 401, 'unauthorized');
    try {
      const { payload } = await jwtVerify(m[1], (await key).publicKey, { issuer, audience: issuer });
      ctx.body = { projects: [{ handle: 'docs', name: 'Documentation', account_handle: payload.sub }] };
    } catch {
      oauthError(ctx, 401, 'invalid_token');
    }
  }
});

const server = app.listen(Number(process.argv[2] ?? 0), '127.0.0.1', () => {
  issuer = `http://127.0.0.1:${server.address().port}`;
  metadata = {
    issuer,
    authorization_endpoint: `${issuer}/oauth/authorize`,
    token_endpoint: `${issuer}/oauth/token`,
    jwks_uri: `${issuer}/.well-known/jwks.json`,
    response_types_supported: ['code'],
    grant_types_supported: ['authorization_code', 'refresh_token'],
    code_challenge_methods_supported: ['S256'],
    token_endpoint_auth_methods_supported: ['client_secret_post'],
  };
  console.log(`  listening ${issuer}`);
});
process.once('SIGTERM', () => process.exit(0));
