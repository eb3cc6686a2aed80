// Authorization requests name one of the client's registered redirect URIs, exactly.
import { isRegisteredRedirect } from '../oauth/redirect-uri.js';
import { check } from './check.js';
import { isAuthorization } from './entries.js';

export const redirectRegistered = check({
  id: 'redirect.registered',
  level: 'fail',
  title: 'Authorization requests use a redirect_uri registered for the client, exactly',
  reference: 'OAuth 2.1 §2.3.1, §4.1.1; RFC 9700 §4.1.3; guide step 3',
  init: () => null,
  observe(_, { e, client, settings }) {
    if (!isAuthorization(e)) return undefined;
    const uri = e.query['redirect_uri'];
    if (!uri) return 'no redirect_uri';
    return isRegisteredRedirect(client.redirectUris, uri, settings.redirectUriWildcards) ? 'pass' : `redirect_uri ${uri} is not registered`;
  },
});
