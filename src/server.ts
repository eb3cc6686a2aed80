// Starting and stopping one mock instance: fixtures, store, HTTP listener, background upkeep.
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:http';
import { createApp } from './app.js';
import { issuerFor, normaliseIssuer, type Config } from './config.js';
import { loadFixtures } from './fixtures/load.js';
import { resetToFixtures } from './domain/reset.js';
import { createMock, keySource, signsTokens, type Mock } from './mock.js';
import { sharedKey } from './crypto/keys.js';
import { profiles } from './profiles.js';
import { openStore } from './store/store.js';

export interface RunningMock {
  /** Where the server listens, e.g. http://127.0.0.1:4050. */
  readonly url: string;
  /** The public issuer (discovery, tokens, redirects). */
  readonly issuer: string;
  readonly mock: Mock;
  readonly server: Server;
  close(): Promise<void>;
}

const PURGE_EVERY_MS = 60_000;

/** A setting that cannot work with the fixtures or store it was given. */
export class ConfigError extends Error {}

export async function startMock(config: Config, log: (m: string) => void = (m) => process.stderr.write(`${m}\n`)): Promise<RunningMock> {
  // The shared key needs no store: generating it on the thread pool now overlaps the rest of start-up.
  const signs = signsTokens(profiles[config.profile]);
  if (signs && keySource(config) === 'shared') sharedKey().catch(() => undefined);
  // Reading fixtures and the store are independent; do both at once.
  const [fixtures, store] = await Promise.all([
    loadFixtures(config.fixturesDir),
    openStore(config.dataFile, { maxGrants: config.maxGrants, log }),
  ]);
  if (config.autoApprove !== null && !fixtures.users.some((u) => u.handle === config.autoApprove)) {
    await store.close();
    throw new ConfigError(
      `--auto-approve "${config.autoApprove}" is not a fixture user; choose one of: ${fixtures.users.map((u) => u.handle).join(', ')}.`,
    );
  }
  const mock = createMock(config, fixtures, store, log);
  if (config.reset) await resetToFixtures(mock);
  const app = createApp(mock);
  const server = createServer(app.callback());
  server.keepAliveTimeout = 5_000;
  server.listen(config.port, config.host);
  try {
    await once(server, 'listening');
  } catch (err) {
    await store.close();
    throw err;
  }
  const { port, address, family } = server.address() as AddressInfo;
  const host = family === 'IPv6' ? `[${address}]` : address;
  mock.issuer = config.issuer ? normaliseIssuer(config.issuer) : issuerFor(config.host, port);
  const purge = () => void store.purge(mock.clock.now()).catch((err: Error) => log(err.message));
  setImmediate(purge);
  // The signing key is generated in the background if the store has none yet (and only if this
  // profile signs anything).
  if (signs) setImmediate(() => mock.keys.warm());
  const purgeTimer = setInterval(purge, PURGE_EVERY_MS);
  purgeTimer.unref();

  let closing: Promise<void> | null = null;
  return {
    url: `http://${host}:${port}`,
    issuer: mock.issuer,
    mock,
    server,
    close() {
      closing ??= (async () => {
        clearInterval(purgeTimer);
        server.closeIdleConnections();
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        setTimeout(() => server.closeAllConnections(), 1000).unref();
        await closed;
        mock.keys.close();
        await store.close();
      })();
      return closing;
    },
  };
}
