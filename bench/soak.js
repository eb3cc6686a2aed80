// `npm run soak`: does the store's cost stay flat as history grows? Runs N sequential
// authorization-code flows (authorize + code exchange, the pre-registered SPA client) against the
// real CLI on a fresh data file and prints, per block of flows: flows/s, the slowest flow, the
// mock's RSS at the block's end and its peak (sampled every 100 ms), the V8 heap in use, the
// longest event-loop delay and GC pause inside the mock, the compactions and purges that ran with
// their longest synchronous slice (what a request could wait behind), and the size of the store
// files. The mock reports from inside through bench/probe.js (loaded with --import, over IPC).
// With SOAK_MODE=api it creates projects through the REST API instead, to see API writes keep
// their speed as the data grows.
//
//   SOAK_MODE=flows     flows or api
//   SOAK_N=30000        flows (or projects) in all
//   SOAK_BLOCK=2000     flows per printed block
//   SOAK_CONCURRENCY=1  clients running flows at once
//   SOAK_IN_MEMORY=1    run with --in-memory instead (the reference curve)
//   SOAK_ARGS="..."     extra CLI arguments, e.g. "--max-grants 1000"
//   SOAK_NODE_ARGS="..." extra Node.js options for the mock, e.g. "--max-semi-space-size=8"
//   SOAK_SNAPSHOT=FILE  write a V8 heap snapshot of the mock to FILE after the last block
//
// File-backed, it ends by stopping the mock, timing how long opening its store takes (in this
// process, with the CPU time) and how long the CLI takes to restart on it. A store of 100,000 live
// tokens: SOAK_N=50000 SOAK_CONCURRENCY=4 SOAK_ARGS="--max-grants 50000" npm run soak
//
// The last line is `SOAK_JSON {...}` with every figure, for scripts.
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../bin/glossia-mock.js', import.meta.url));
const PROBE = new URL('./probe.js', import.meta.url).href;
const N = positiveInt(process.env.SOAK_N, 30_000);
const BLOCK = positiveInt(process.env.SOAK_BLOCK, 2_000);
const CONCURRENCY = positiveInt(process.env.SOAK_CONCURRENCY, 1);
const IN_MEMORY = process.env.SOAK_IN_MEMORY === '1';
const EXTRA = (process.env.SOAK_ARGS ?? '').split(/\s+/).filter(Boolean);
const NODE_ARGS = (process.env.SOAK_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);
const MODE = process.env.SOAK_MODE === 'api' ? 'api' : 'flows';
// fixtures/clients.json: the public SPA client.
const SPA = { clientId: '5f1c9a2e-3b4d-4e6f-8a7b-9c0d1e2f3a4b', redirectUri: 'http://localhost:3000/callback' };

function positiveInt(raw, fallback) {
  const n = Number(raw);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}

const dir = mkdtempSync(join(tmpdir(), 'glossia-mock-soak-'));
const dataFile = join(dir, 'db.json');
const args = ['--port', '0', '--auto-approve', 'dev', '--rate-limits', 'off', ...(IN_MEMORY ? ['--in-memory'] : ['--data', dataFile]), ...EXTRA];
// The probe (bench/probe.js) answers over IPC with memory, event-loop delay, GC pauses and housekeeping.
const child = spawn(process.execPath, [...NODE_ARGS, '--import', PROBE, BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
const probeAnswers = [];
child.on('message', (msg) => probeAnswers.shift()?.(msg));
/** Asks the probe in the mock; its answer. */
function probe(question) {
  return new Promise((resolve) => {
    probeAnswers.push(resolve);
    child.send(question);
  });
}
let stderr = '';
child.stderr.on('data', (d) => (stderr = (stderr + d).slice(-4000)));
const cleanup = () => {
  child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
};
process.on('exit', cleanup);
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(130));
child.once('exit', (code, signal) => {
  if (!done) {
    console.error(`soak: the mock exited (${signal ?? code}) after ${completed} ${unit}:\n${stderr.trim()}`);
    process.exit(1);
  }
});

const url = await new Promise((resolve, reject) => {
  let out = '';
  child.stdout.on('data', (d) => {
    out += d;
    const m = /^ {2}listening\s+(http:\/\/\S+)$/m.exec(out);
    if (m) resolve(m[1]);
  });
  setTimeout(() => reject(new Error(`not ready after 15 s:\n${stderr}`)), 15_000).unref();
});
child.stdout.resume();

async function flow(scope = 'project:read') {
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  const q = new URLSearchParams({
    response_type: 'code',
    client_id: SPA.clientId,
    redirect_uri: SPA.redirectUri,
    code_challenge: challenge,
    code_challenge_method: 'S256',
    scope,
  });
  const auth = await fetch(`${url}/oauth/authorize?${q}`, { redirect: 'manual' });
  await auth.arrayBuffer();
  const code = auth.status === 302 ? new URL(auth.headers.get('location')).searchParams.get('code') : null;
  if (!code) throw new Error(`authorize answered ${auth.status}`);
  const res = await fetch(`${url}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: SPA.redirectUri, code_verifier: verifier, client_id: SPA.clientId }),
  });
  const body = await res.text();
  if (res.status !== 200) throw new Error(`token answered ${res.status}: ${body}`);
  return JSON.parse(body);
}

let accessToken = null;
let projects = 0;
async function createProject() {
  const n = ++projects;
  const res = await fetch(`${url}/api/dev/projects`, {
    method: 'POST',
    headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ project_handle: `soak-${n}`, name: `Soak project ${n}` }),
  });
  const body = await res.text();
  if (res.status !== 201) throw new Error(`project create answered ${res.status}: ${body}`);
}
const step = MODE === 'api' ? createProject : () => flow();

function rssMb() {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}
// RSS peaks between two block ends (around a compaction, before a major GC): sampled every 100 ms.
let peakRss = 0;
const rssSampler = setInterval(() => (peakRss = Math.max(peakRss, rssMb() || 0)), 100);
rssSampler.unref();

function fileSizes() {
  if (IN_MEMORY) return {};
  const sizes = {};
  for (const name of readdirSync(dir)) sizes[name] = statSync(join(dir, name)).size;
  return sizes;
}

const mb = (bytes) => `${(bytes / 1e6).toFixed(1)} MB`;
/** "compaction 2×, slice ≤ 3.1 ms (2.9 ms CPU)": the housekeeping the probe saw during a block. */
const housekeepingText = (h) =>
  Object.entries(h)
    .map(([kind, { count, longestSliceMs, longestSliceCpuMs }]) => `${kind} ${count}×, slice ≤ ${longestSliceMs.toFixed(1)} ms (${longestSliceCpuMs.toFixed(1)} ms CPU)`)
    .join('; ');
let completed = 0;
let done = false;
const blocks = [];
const unit = MODE === 'api' ? 'projects' : 'flows';
console.log(`soak: ${N} ${unit}, ${CONCURRENCY} at a time, ${IN_MEMORY ? 'in memory' : 'file-backed'} ${EXTRA.join(' ')}`);
console.log('per block: rate, slowest single step, RSS at the end and its peak during the block, V8 heap in use,');
console.log("the mock's longest event-loop delay and GC pause, housekeeping that ran, store file sizes");
console.log(`${unit.padEnd(14)}${`${unit}/s`.padStart(9)}${'slowest'.padStart(9)}${'RSS'.padStart(6)}${'peak'.padStart(6)}${'heap'.padStart(6)}${'loop'.padStart(6)}${'gc'.padStart(5)}   housekeeping / files`);
// The signing key is generated on first use; keep it out of the first block.
accessToken = (await flow('project:read project:write')).access_token;
await probe({ probe: 'stats' });
while (completed < N) {
  const size = Math.min(BLOCK, N - completed);
  const t0 = performance.now();
  let next = 0;
  let slowest = 0;
  peakRss = 0;
  await Promise.all(
    Array.from({ length: Math.min(CONCURRENCY, size) }, async () => {
      while (next < size) {
        next++;
        const t = performance.now();
        await step();
        slowest = Math.max(slowest, performance.now() - t);
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  const stats = await probe({ probe: 'stats' });
  const rss = rssMb();
  const block = {
    from: completed + 1,
    to: completed + size,
    perSecond: size / seconds,
    slowestMs: slowest,
    rssMb: rss,
    peakRssMb: Math.max(peakRss, rss),
    heapUsedMb: stats.heapUsedMb,
    heapTotalMb: stats.heapTotalMb,
    externalMb: stats.externalMb,
    heapSpacesMb: stats.spaces,
    loopMaxMs: stats.loopMaxMs,
    gcMaxMs: stats.gc.maxMs,
    gcCount: stats.gc.count,
    gcTotalMs: stats.gc.totalMs,
    gcMajor: { count: stats.gc.majorCount, maxMs: stats.gc.majorMaxMs },
    housekeeping: stats.housekeeping,
    files: fileSizes(),
  };
  completed += size;
  blocks.push(block);
  const files = Object.entries(block.files).map(([name, bytes]) => `${name} ${mb(bytes)}`).join(', ');
  const cols = [block.perSecond, block.slowestMs, block.rssMb, block.peakRssMb, block.heapUsedMb, block.loopMaxMs, block.gcMaxMs];
  const widths = [9, 9, 6, 6, 6, 6, 5];
  console.log(`${`${block.from}-${block.to}`.padEnd(14)}${cols.map((v, i) => v.toFixed(0).padStart(widths[i])).join('')}   ${[housekeepingText(block.housekeeping), files].filter(Boolean).join(' | ')}`);
}
done = true;
if (process.env.SOAK_SNAPSHOT) console.log(`heap snapshot: ${(await probe({ probe: 'snapshot', file: process.env.SOAK_SNAPSHOT })).file}`);
const rate = (from) => blocks.find((b) => b.from === from)?.perSecond;
const early = rate(2001);
const late = rate(28001);
if (early && late) console.log(`${unit} 28,001-30,000 at ${((100 * late) / early).toFixed(0)} % of ${unit} 2,001-4,000`);
const last = blocks.at(-1);
if (early && last.from > 28001) console.log(`${unit} ${last.from}-${last.to} at ${((100 * last.perSecond) / early).toFixed(0)} % of ${unit} 2,001-4,000`);
let open = null;
if (!IN_MEMORY) {
  child.kill('SIGTERM');
  await new Promise((resolve) => child.once('exit', resolve));
  // The store alone, in this process (its CPU time is the store's), with the mock's --max-grants.
  const { openStore } = await import('../dist/store/store.js');
  const grantsArg = EXTRA.indexOf('--max-grants');
  const maxGrants = grantsArg === -1 ? undefined : Number(EXTRA[grantsArg + 1]);
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const store = await openStore(dataFile, { log: () => undefined, ...(maxGrants ? { maxGrants } : {}) });
  const cpu = process.cpuUsage(cpu0);
  open = {
    ms: performance.now() - t0,
    cpuMs: (cpu.user + cpu.system) / 1000,
    liveTokens: store.tokens.size('accessTokens') + store.tokens.size('refreshTokens'),
    records: ['grants', 'codes', 'accessTokens', 'refreshTokens', 'deviceCodes'].reduce((n, t) => n + store.tokens.size(t), 0),
    journalMb: statSync(store.journalFile).size / 1e6,
  };
  await store.close();
  console.log(
    `opening the store: ${open.ms.toFixed(0)} ms (${open.cpuMs.toFixed(0)} ms CPU) for ${open.liveTokens} live tokens, ${open.records} records, journal ${open.journalMb.toFixed(1)} MB`,
  );
  open.restartMs = await restartMs();
  console.log(`restarting the CLI on it: ${open.restartMs.toFixed(0)} ms to its listening line`);
}

/** Milliseconds from spawning the CLI again on the same files to its listening line. */
async function restartMs() {
  const t0 = performance.now();
  const again = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  again.stdout.on('data', (d) => (out += d));
  let err = '';
  again.stderr.on('data', (d) => (err += d));
  const ms = await new Promise((resolve, reject) => {
    again.stdout.on('data', () => /^ {2}listening\s/m.test(out) && resolve(performance.now() - t0));
    again.once('exit', (code) => reject(new Error(`the restarted mock exited (${code}):\n${err}`)));
  });
  again.kill('SIGTERM');
  await new Promise((resolve) => again.once('exit', resolve));
  return ms;
}
console.log(`SOAK_JSON ${JSON.stringify({ mode: MODE, n: N, block: BLOCK, concurrency: CONCURRENCY, inMemory: IN_MEMORY, args: EXTRA, blocks, open })}`);
process.exit(0);
