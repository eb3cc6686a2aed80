// The pages that are not part of a flow: the landing page and the stylesheet.
import type { Context } from 'koa';
import { csrfToken, session } from '../http/session.js';
import type { Mock } from '../mock.js';
import { isPublicClient } from '../oauth/clients.js';
import { homePage } from './pages/home.js';
import { sendHtml } from './respond.js';
import { stylesheet } from './styles.js';

export const home = (mock: Mock) => (ctx: Context) => {
  const s = session(ctx, mock);
  const user = s.userId ? mock.directory.userById(s.userId) : undefined;
  sendHtml(
    ctx,
    200,
    homePage({
      issuer: mock.issuer,
      profile: mock.profile.name,
      users: mock.directory.users.map(({ handle, name, email }) => ({ handle, name, email })),
      clients: mock.clients.fixtureClients().map((c) => ({
        client_id: c.client_id,
        client_name: c.client_name,
        client_secret: c.client_secret,
        public: isPublicClient(c),
        redirect_uris: c.redirect_uris,
      })),
      signedInAs: user ? { handle: user.handle, name: user.name, email: user.email } : null,
      csrfToken: csrfToken(mock, s),
    }),
  );
};

export const styles = () => (ctx: Context) => {
  ctx.type = 'text/css; charset=utf-8';
  ctx.set('Cache-Control', 'public, max-age=3600');
  ctx.body = stylesheet;
};
