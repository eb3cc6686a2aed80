// Every route of the mock, in one table: the map of how a request flows.
import Router from '@koa/router';
import type { Mock } from './mock.js';
import { loginGet, loginPost, logoutPost } from './auth/login.js';
import { apiRoutes } from './api/index.js';
import { serveOpenApi } from './api/openapi.js';
import { mountApi } from './api/route.js';
import { authorizeGet, authorizePost } from './oauth/authorize.js';
import { deviceConfirm, deviceGet, devicePost } from './oauth/device.js';
import { deviceAuthorization } from './oauth/device-authorization.js';
import { serveAuthorizationServerMetadata, serveProtectedResourceMetadata } from './oauth/discovery.js';
import { introspect } from './oauth/introspect.js';
import { serveJwks } from './oauth/jwks.js';
import { register } from './oauth/register.js';
import { revoke } from './oauth/revoke.js';
import { token } from './oauth/token.js';
import { home, styles } from './ui/handlers.js';
import { mountControl } from './control/routes.js';
import { serveMcp } from './mcp/http.js';
import {
  accountGet,
  appDeleteGet,
  appDeletePost,
  appGet,
  appNewGet,
  appPost,
  appRegenerateGet,
  appRegeneratePost,
  appsGet,
  appsPost,
  dashboardGet,
} from './ui/dashboard.js';

export function createRouter(mock: Mock): Router {
  const r = new Router();
  const p = mock.profile;

  r.get('/', home(mock));
  r.get('/assets/glossia-mock.css', styles());
  r.get('/up', (ctx) => {
    ctx.body = 'OK';
  });

  r.get('/.well-known/oauth-authorization-server', serveAuthorizationServerMetadata(mock));
  r.get('/.well-known/oauth-protected-resource', serveProtectedResourceMetadata(mock));
  if (p.publishJwks) r.get('/.well-known/jwks.json', serveJwks(mock));

  r.post('/oauth/register', register(mock));
  r.get('/oauth/authorize', authorizeGet(mock));
  r.post('/oauth/authorize', authorizePost(mock));
  r.post('/oauth/token', token(mock));
  r.post('/oauth/revoke', revoke(mock));
  r.post('/oauth/introspect', introspect(mock));
  r.post('/oauth/device_authorization', deviceAuthorization(mock));
  r.get('/oauth/device', deviceGet(mock));
  r.post('/oauth/device', devicePost(mock));
  r.post('/oauth/device/confirm', deviceConfirm(mock));

  r.get('/auth/login', loginGet(mock));
  r.post('/auth/login', loginPost(mock));
  r.post('/auth/logout', logoutPost(mock));

  r.get('/api/openapi.json', serveOpenApi(mock));
  mountApi(r, mock, apiRoutes(p));

  // MCP (reference 11): any path below (Glossia forwards the whole subtree); the transport answers
  // methods it does not serve.
  const mcp = serveMcp(mock, 'user');
  const adminMcp = serveMcp(mock, 'admin');
  for (const method of ['get', 'post', 'delete', 'put', 'patch'] as const) {
    r[method](['/mcp', '/mcp/{*rest}'], mcp);
    r[method](['/admin/mcp', '/admin/mcp/{*rest}'], adminMcp);
  }

  // The control API, for tests and QA (not part of Glossia).
  mountControl(r, mock);

  // The account dashboard (reference 10). Last: `/:handle` matches any one-segment path, so every
  // fixed path above wins; `/-/` keeps the settings pages apart from /api and /oauth.
  r.get('/dashboard', dashboardGet(mock));
  r.get('/:handle/-/settings/apps', appsGet(mock));
  r.post('/:handle/-/settings/apps', appsPost(mock));
  r.get('/:handle/-/settings/apps/new', appNewGet(mock));
  r.get('/:handle/-/settings/apps/:id', appGet(mock));
  r.post('/:handle/-/settings/apps/:id', appPost(mock));
  r.get('/:handle/-/settings/apps/:id/regenerate-secret', appRegenerateGet(mock));
  r.post('/:handle/-/settings/apps/:id/regenerate-secret', appRegeneratePost(mock));
  r.get('/:handle/-/settings/apps/:id/delete', appDeleteGet(mock));
  r.post('/:handle/-/settings/apps/:id/delete', appDeletePost(mock));
  r.get('/:handle', accountGet(mock));

  return r;
}
