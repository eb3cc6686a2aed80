// `glossia-mock`: parse flags, start, print the banner, stop cleanly on SIGINT/SIGTERM.
import { FixtureError } from '../fixtures/validate.js';
import { ConfigError, startMock } from '../server.js';
import { StoreError } from '../store/store.js';
import { banner, issuerWarnings } from './banner.js';
import { parseArgs } from './options.js';
import { finishReport } from './report.js';

export async function main(argv: string[]): Promise<void> {
  let config;
  try {
    config = await parseArgs(argv);
  } catch (err) {
    console.error(`glossia-mock: ${(err as Error).message}`);
    process.exitCode = 2;
    return;
  }
  let running;
  try {
    running = await startMock(config);
  } catch (err) {
    const e = err as Error & { code?: string };
    if (err instanceof FixtureError) console.error(`glossia-mock: invalid fixtures: ${e.message}`);
    else if (err instanceof StoreError || err instanceof ConfigError) console.error(`glossia-mock: ${e.message}`);
    else if (e.code === 'EADDRINUSE') console.error(`glossia-mock: port ${config.port} on ${config.host} is already in use (try --port 0).`);
    else if (e.code === 'EACCES') console.error(`glossia-mock: not allowed to listen on ${config.host}:${config.port}.`);
    else console.error(`glossia-mock: could not start: ${e.stack ?? e.message}`);
    process.exitCode = 1;
    return;
  }
  console.log(banner(running));
  for (const w of issuerWarnings(running)) console.warn(`warning: ${w}`);
  const stop = (signal: string) => {
    console.error(`\nglossia-mock: ${signal}, shutting down`);
    running.close().then(
      () => finishReport(running.mock.report.report(), config).then((code) => process.exit(code)),
      (err: Error) => {
        console.error(`glossia-mock: ${err.message}`);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}
