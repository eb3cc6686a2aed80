// The memory floor of the mock's stack, for the idle-RSS figure of `npm run bench`: Koa, @koa/router
// and koa-bodyparser (on the token request, loaded by the first one as the mock loads it), loaded
// with require() as the mock's bundle loads them, answering the requests the bench makes before it
// reads idle RSS (discovery, then two authorize + token flows) with fixed answers. No store, no
// fixtures, no key, no checks: whatever the mock idles at above this, its own code costs.
//
//   node bench/stack-floor.js [PORT]     prints "  listening http://127.0.0.1:PORT"
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const Koa = require('koa');
const Router = require('@koa/router');

const app = new Koa();
const router = new Router();
let parseBody = null;
router.get('/.well-known/oauth-authorization-server', (ctx) => {
  ctx.body = { issuer: `http://${ctx.host}` };
});
router.get('/oauth/authorize', (ctx) => {
  const { redirect_uri: redirectUri, state } = ctx.query;
  ctx.redirect(`${redirectUri}?${new URLSearchParams({ code: 'floor', state })}`);
});
router.post('/oauth/token', async (ctx) => {
  parseBody ??= require('koa-bodyparser')();
  await parseBody(ctx, async () => undefined);
  ctx.body = { access_token: `eyJfloor.${Object.keys(ctx.request.body).length}`, token_type: 'Bearer' };
});
app.use(router.routes());

const server = app.listen(Number(process.argv[2] ?? 0), '127.0.0.1', () => {
  console.log(`  listening http://127.0.0.1:${server.address().port}`);
});
