// `glossia-mock`: parse flags, start, print the banner, stop cleanly on SIGINT/SIGTERM.
import { setFlagsFromString } from 'node:v8';
import { FixtureError } from '../fixtures/validate.js';
import { ConfigError, startMock } from '../server.js';
import { StoreError } from '../store/store.js';
import { banner, issuerWarnings } from './banner.js';
import { parseArgs } from './options.js';
import { finishReport } from './report.js';

/**
 * How far V8 lets the old generation grow past what survived the last full collection before it
 * collects again. V8's own choice goes up to 4×: with the token tables at their cap (~25 MB) that
 * is 100 MB and more of evicted records waiting to be collected, the RSS peaks of 240-290 MB that
 * `npm run soak` measured over 200,000 flows. 30 % keeps the heap near what is live, at the price
 * of more frequent (mostly concurrent) full collections. Only the CLI sets it: a library must not
 * change the V8 of the process it runs in. A --heap-growing-percent given to node wins.
 */
const HEAP_GROWING_PERCENT = 30;

function boundHeapGrowth(): void {
  const given = [...process.execArgv, process.env['NODE_OPTIONS'] ?? ''].some((a) => /heap[-_]growing[-_]percent/.test(a));
  if (!given) setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}

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
  // After the store is open: replaying a big token journal grows the heap several times over, and
  // a full collection at every 30 % of it would slow the start down.
  boundHeapGrowth();
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
