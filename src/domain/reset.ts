// Back to the fixtures: Glossia's data re-seeded, registered clients and every code and token
// forgotten. The signing key and cookie secret stay, so JWKS consumers need not refetch.
import type { Mock } from '../mock.js';
import { seedWorld } from './seed.js';

/** Everything a test may have changed: data, fault rules, rate-limit windows, journal and report, clock. */
export async function resetInstance(mock: Mock): Promise<void> {
  mock.faults.clear();
  mock.limits.reset();
  mock.journal.clear();
  mock.report.clear();
  mock.clock.reset();
  await resetToFixtures(mock);
}

export async function resetToFixtures(mock: Mock): Promise<void> {
  const d = mock.store.data;
  d.world = seedWorld(mock.fixtures, mock.clock.nowMs());
  d.clients = {};
  mock.store.resetTokens();
  mock.store.documentChanged();
  await mock.store.settled();
}
