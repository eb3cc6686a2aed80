// The Koa application: error rendering, body parsing, routes, and a JSON 404/405 for the rest
// (src/http/routing.ts).
import Koa from 'koa';
import { requireJsonAccept } from './http/accept.js';
import { parseBodies } from './http/body.js';
import { methodOverride } from './http/method-override.js';
import { lastValueWins } from './http/repeated.js';
import { errorHandler } from './http/errors.js';
import { injectFaults } from './faults/middleware.js';
import { journalRequests } from './journal/middleware.js';
import { limitByPath } from './limits/enforce.js';
import { answerWhenPersisted } from './http/persisted.js';
import { createRouting } from './http/routing.js';
import type { Mock } from './mock.js';
import { createRouter } from './routes.js';

export function createApp(mock: Mock): Koa {
  const app = new Koa();
  // Errors are rendered by errorHandler; Koa's own handler only sees socket-level failures.
  app.silent = true;
  app.on('error', (err: Error & { code?: string }) => {
    if (err.code !== 'ECONNRESET' && err.code !== 'EPIPE') mock.log(`koa error: ${err.message}`);
  });
  const routing = createRouting(createRouter(mock));
  if (mock.config.logRequests) {
    app.use(async (ctx, next) => {
      const start = performance.now();
      await next();
      mock.log(`${ctx.method} ${ctx.path} ${ctx.status} ${(performance.now() - start).toFixed(1)}ms`);
    });
  }
  app.use(journalRequests(mock));
  app.use(errorHandler(mock.log));
  app.use(answerWhenPersisted(mock.store));
  app.use(parseBodies({ limitBytes: mock.config.bodyLimit, multipart: mock.profile.multipartBodies, unparsable: mock.profile.unparsableBody }));
  if (mock.profile.repeatedParams === 'last') app.use(lastValueWins);
  app.use(methodOverride);
  app.use(requireJsonAccept((method, path) => routing.match(method, path).served));
  app.use(injectFaults(mock));
  app.use(limitByPath(mock));
  app.use(routing.dispatch);
  return app;
}
