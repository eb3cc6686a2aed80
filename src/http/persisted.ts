// No response leaves before what its request changed has reached the operating system: a client
// is never told about a code, token, client or API record that a kill -9 right after could lose.
// Requests that run at the same time share one write (the store's group commit).
import type { Context, Next } from 'koa';
import type { Store } from '../store/store.js';
import { JsonError } from './errors.js';

export function answerWhenPersisted(store: Store) {
  return async function waitForStore(_ctx: Context, next: Next): Promise<void> {
    try {
      await next();
    } finally {
      // Error responses wait too: a replayed code or refresh token revokes its grant first.
      await store.settled().catch((err: Error) => {
        throw new JsonError(503, { error: 'temporarily_unavailable', error_description: err.message });
      });
    }
  };
}
