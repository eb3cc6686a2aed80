// Where OAuth clients come from: the fixtures (pre-registered, fixed ids) and the store
// (dynamic registration, and later OAuth apps created through the API).
import type { FixtureClient } from '../fixtures/types.js';
import type { Store } from '../store/store.js';
import type { StoredClient } from '../store/schema.js';

export interface ClientRegistry {
  find(clientId: string): StoredClient | undefined;
  add(client: StoredClient): Promise<void>;
  fixtureClients(): readonly StoredClient[];
}

export const isPublicClient = (c: StoredClient): boolean => c.client_secret === null;

export const allowsGrant = (c: StoredClient, grantType: string): boolean => c.grant_types.includes(grantType);

export function fromFixture(f: FixtureClient): StoredClient {
  return {
    client_id: f.client_id,
    client_secret: f.client_secret,
    client_name: f.client_name,
    redirect_uris: [...f.redirect_uris],
    grant_types: [...f.grant_types],
    token_endpoint_auth_method: f.token_endpoint_auth_method,
    registered_auth_method: f.token_endpoint_auth_method ?? 'client_secret_basic',
    first_party: f.first_party ?? false,
    device_flow: f.device_flow ?? false,
    created_at: 0,
    source: 'fixture',
  };
}

export function createClientRegistry(fixtures: readonly FixtureClient[], store: Store): ClientRegistry {
  const fixed = new Map(fixtures.map((f) => [f.client_id, fromFixture(f)]));
  return {
    find: (id) => fixed.get(id) ?? (Object.hasOwn(store.data.clients, id) ? store.data.clients[id] : undefined),
    async add(client) {
      store.data.clients[client.client_id] = client;
      store.recordChanged('clients', client);
      await store.settled();
    },
    fixtureClients: () => [...fixed.values()],
  };
}
