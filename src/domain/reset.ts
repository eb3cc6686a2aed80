// Back to the fixtures: Glossia's data re-seeded, registered clients and every code and token
// forgotten. The signing key and cookie secret stay, so JWKS consumers need not refetch.
import type { Mock } from '../mock.js';
import { seedWorld } from './seed.js';

export async function resetToFixtures(mock: Mock): Promise<void> {
  const d = mock.store.data;
  d.world = seedWorld(mock.fixtures, mock.clock.nowMs());
  d.clients = {};
  d.codes = {};
  d.grants = {};
  d.accessTokens = {};
  d.refreshTokens = {};
  d.deviceCodes = {};
  await mock.store.persistNow();
}
