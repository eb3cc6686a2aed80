// Every route of the mock, in one table: the map of how a request flows.
import Router from '@koa/router';
import type { Mock } from './mock.js';
import { loginGet, loginPost, logoutPost } from './auth/login.js';
import { apiRoutes } from './api/index.js';
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
import { mountControl } from './control/routes.js';
import { lazyHandler } from './http/lazy.js';

export function createRouter(mock: Mock): Router {
  const r = new Router();
  const p = mock.profile;
  const ui = () => import('./ui/handlers.js');
  const dashboard = () => import('./ui/dashboard.js');

  r.get('/', lazyHandler(async () => (await ui()).home(mock)));
  r.get('/assets/glossia-mock.css', lazyHandler(async () => (await ui()).styles()));
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

  r.get('/api/openapi.json', lazyHandler(async () => (await import('./api/openapi.js')).serveOpenApi(mock)));
  mountApi(r, mock, apiRoutes(p));

  // MCP (reference 11): any path below (Glossia forwards the whole subtree); the transport answers
  // methods it does not serve.
  const mcp = lazyHandler(async () => (await import('./mcp/http.js')).serveMcp(mock, 'user'));
  const adminMcp = lazyHandler(async () => (await import('./mcp/http.js')).serveMcp(mock, 'admin'));
  for (const method of ['get', 'post', 'delete', 'put', 'patch'] as const) {
    r[method](['/mcp', '/mcp/{*rest}'], mcp);
    r[method](['/admin/mcp', '/admin/mcp/{*rest}'], adminMcp);
  }

  // The control API, for tests and QA (not part of Glossia).
  mountControl(r, mock);

  // The account dashboard (reference 10). Last: `/:handle` matches any one-segment path, so every
  // fixed path above wins; `/-/` keeps the settings pages apart from /api and /oauth.
  const page = (name: keyof Awaited<ReturnType<typeof dashboard>>) => lazyHandler(async () => (await dashboard())[name](mock));
  r.get('/dashboard', page('dashboardGet'));
  r.get('/:handle/-/settings/apps', page('appsGet'));
  r.post('/:handle/-/settings/apps', page('appsPost'));
  r.get('/:handle/-/settings/apps/new', page('appNewGet'));
  r.get('/:handle/-/settings/apps/:id', page('appGet'));
  r.post('/:handle/-/settings/apps/:id', page('appPost'));
  r.get('/:handle/-/settings/apps/:id/regenerate-secret', page('appRegenerateGet'));
  r.post('/:handle/-/settings/apps/:id/regenerate-secret', page('appRegeneratePost'));
  r.get('/:handle/-/settings/apps/:id/delete', page('appDeleteGet'));
  r.post('/:handle/-/settings/apps/:id/delete', page('appDeletePost'));
  r.get('/:handle', page('accountGet'));

  return r;
}
