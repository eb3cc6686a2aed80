// Client secrets: a public client has none to send, and no client puts one in a URL.
import { check } from './check.js';

export const secretPublicClient = check({
  id: 'secret.public_client',
  level: 'fail',
  title: 'A public client sends no client secret',
  reference: 'OAuth 2.1 §2.4, §2.1; RFC 8252 §8.5',
  init: () => null,
  observe(_, { e, client }) {
    const auth = e.facts?.client_auth;
    if (!client.public || auth === undefined) return undefined;
    return auth === 'none' ? 'pass' : `client secret sent (${auth === 'basic' ? 'HTTP Basic' : 'client_secret parameter'}) to ${e.path}`;
  },
});

export const secretNotInUrl = check({
  id: 'secret.not_in_url',
  level: 'fail',
  title: 'The client secret never appears in a URL',
  reference: 'RFC 6749 §2.3.1; guide security checklist',
  init: () => null,
  observe: (_, { e }) => (e.query['client_secret'] !== undefined ? `client_secret in the query string of ${e.method} ${e.path}` : 'pass'),
});
