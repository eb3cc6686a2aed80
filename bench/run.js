// `npm run bench`: start-up and throughput of the mock, measured through the real CLI (child
// processes on 127.0.0.1, random ports). Prints a short report and, last, one `BENCH_JSON {...}` line.
//
//   BENCH_N=500        authorization codes / token exchanges / refreshes in the token phase
//   BENCH_RUNS=5       cold and warm start repetitions
//
// Exit code: 0 when the bench ran (target misses are flagged, not fatal); 1 when something failed
// (a child did not start, requests errored, the signing key was regenerated on a warm start).
import { execFileSync, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../bin/glossia-mock.js', import.meta.url));
const RUNS = positiveInt(process.env.BENCH_RUNS, 5);
const N = positiveInt(process.env.BENCH_N, 500);
const CONCURRENCY = 8;
const COLD_TARGET_MS = 300;
const TOTAL_BUDGET_MS = 55_000; // phases size themselves to this; a watchdog ends the bench at 59 s
const REQUEST_TIMEOUT_MS = 10_000;

// test/helpers/mock.ts, DEMO: the bundled confidential demo client.
const DEMO = {
  clientId: '0b5e3d8c-7f2a-4c1e-9a6b-3d2f1e0c9b8a',
  secret: '4DonTWojcxIQHy2EnFkLm1SZn9Z4wn9YLN7oCyfmiJo96qRAYwCjvdCCIVnuHYTFzDmH2kwIED1nmljMLEc1cU',
  redirectUri: 'http://localhost:3000/callback',
};

function positiveInt(raw, fallback) {
  const n = Number(raw);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}

// ---------------------------------------------------------------------------------------------
// Cleanup: every child is killed and the temp dir removed, whatever happens.

const children = new Set();
let tempDir = null;

function cleanupSync() {
  for (const child of children) {
    try {
      child.kill('SIGKILL');
    } catch {}
  }
  children.clear();
  if (tempDir) {
    try {
      rmSync(tempDir, { recursive: true, force: true });
    } catch {}
    tempDir = null;
  }
}
process.on('exit', cleanupSync);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.once(signal, () => {
    console.error(`\nbench: ${signal}, stopping`);
    cleanupSync();
    process.exit(130);
  });
}

const benchStart = performance.now();
const watchdog = setTimeout(() => {
  console.error('bench: gave up after 59 s (time budget exceeded)');
  cleanupSync();
  process.exit(2);
}, 59_000);
watchdog.unref();
const budgetLeft = () => TOTAL_BUDGET_MS - (performance.now() - benchStart);

// ---------------------------------------------------------------------------------------------
// Child processes

/** Spawns the CLI; resolves once the banner's `listening` line names the URL. */
function startMock(args) {
  const t0 = performance.now();
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (d) => {
    stderr = (stderr + d).slice(-4000);
  });
  const exited = new Promise((resolve) => {
    child.once('exit', (code, signal) => {
      children.delete(child);
      resolve({ code, signal });
    });
  });
  const ready = new Promise((resolve, reject) => {
    const onData = (d) => {
      stdout += d;
      const m = /^ {2}listening\s+(http:\/\/\S+)$/m.exec(stdout);
      if (m) {
        child.stdout.off('data', onData);
        child.stdout.resume(); // keep draining
        resolve({ url: m[1], bannerMs: performance.now() - t0 });
      } else if (stdout.length > 64_000) {
        reject(new Error('no "listening" line in the first 64 kB of output'));
      }
    };
    child.stdout.on('data', onData);
    child.once('error', reject);
    exited.then(({ code, signal }) =>
      reject(new Error(`glossia-mock ${args.join(' ')} exited (${signal ?? code}) before it was ready:\n${stderr.trim()}`)),
    );
    setTimeout(() => reject(new Error(`glossia-mock ${args.join(' ')} not ready after 15 s:\n${stderr.trim()}`)), 15_000).unref();
  });
  return {
    child,
    t0,
    ready,
    stderr: () => stderr,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return exited;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 3_000);
      const result = await exited;
      clearTimeout(timer);
      return result;
    },
  };
}

/** Spawn → first 200 of the discovery document (polled every 2 ms once the URL is known). */
async function timeToDiscovery(args) {
  const m = startMock(args);
  try {
    const { url, bannerMs } = await m.ready;
    for (;;) {
      try {
        const res = await fetch(`${url}/.well-known/oauth-authorization-server`, { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
        await res.arrayBuffer();
        if (res.status === 200) return { ms: performance.now() - m.t0, bannerMs, cpuMs: cpuMs(m.child.pid), url, mock: m };
      } catch {}
      if (performance.now() - m.t0 > 15_000) throw new Error(`discovery never answered 200 (${url})`);
      await sleep(2);
    }
  } catch (err) {
    await m.stop();
    throw err;
  }
}

/** CPU time (user + system) a process has used so far, in ms; null off Linux. */
const CLK_TCK = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();
function cpuMs(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(f[11]) + Number(f[12])) * 1000) / CLK_TCK;
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------------------------------------
// HTTP (global fetch: undici, keep-alive by default)

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function pkce() {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

async function expectStatus(res, status, what) {
  const text = await res.text();
  if (res.status !== status) throw new Error(`${what}: HTTP ${res.status} ${text.slice(0, 300)}`);
  return text;
}

/** GET /oauth/authorize on an --auto-approve mock → { code, verifier }. */
async function authorize(base, scope) {
  const { verifier, challenge } = pkce();
  const state = randomBytes(6).toString('base64url');
  const q = new URLSearchParams({
    response_type: 'code',
    client_id: DEMO.clientId,
    redirect_uri: DEMO.redirectUri,
    code_challenge: challenge,
    code_challenge_method: 'S256',
    state,
  });
  if (scope) q.set('scope', scope);
  const res = await fetch(`${base}/oauth/authorize?${q}`, { redirect: 'manual', signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
  await expectStatus(res, 302, 'authorize');
  const location = new URL(res.headers.get('location'));
  const code = location.searchParams.get('code');
  if (!code || location.searchParams.get('state') !== state) throw new Error(`authorize: unexpected redirect ${location.href}`);
  return { code, verifier };
}

async function tokenRequest(base, params) {
  const res = await fetch(`${base}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ client_id: DEMO.clientId, client_secret: DEMO.secret, ...params }),
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  const body = JSON.parse(await expectStatus(res, 200, `token (${params.grant_type})`));
  if (!body.access_token || !body.refresh_token) throw new Error(`token (${params.grant_type}): no tokens in ${JSON.stringify(body)}`);
  return body;
}

const exchange = (base, { code, verifier }) =>
  tokenRequest(base, { grant_type: 'authorization_code', code, redirect_uri: DEMO.redirectUri, code_verifier: verifier });

const refresh = (base, refreshToken) => tokenRequest(base, { grant_type: 'refresh_token', refresh_token: refreshToken });

async function getJson(url, headers = {}) {
  const res = await fetch(url, { headers, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
  return JSON.parse(await expectStatus(res, 200, `GET ${new URL(url).pathname}`));
}

/**
 * Runs `task(i)` with `concurrency` workers until `count` tasks started or `maxMs` passed.
 * Stops early after 10 errors. Returns throughput and latency figures.
 */
async function pool({ concurrency = CONCURRENCY, count = Infinity, maxMs = Infinity, task, pid = null }) {
  let started = 0;
  let errors = 0;
  let firstError = null;
  const latencies = [];
  const cpu0 = pid === null ? null : cpuMs(pid);
  const t0 = performance.now();
  const worker = async () => {
    while (started < count && errors < 10 && performance.now() - t0 < maxMs) {
      const i = started++;
      const s = performance.now();
      try {
        await task(i);
        latencies.push(performance.now() - s);
      } catch (err) {
        errors++;
        firstError ??= err;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const ms = performance.now() - t0;
  const cpu1 = pid === null ? null : cpuMs(pid);
  latencies.sort((a, b) => a - b);
  const done = latencies.length;
  return {
    done,
    errors,
    firstError: firstError ? String(firstError.message ?? firstError) : null,
    ms: round(ms),
    perSec: round(done / (ms / 1000)),
    p50Ms: round(percentile(latencies, 0.5), 2),
    p99Ms: round(percentile(latencies, 0.99), 2),
    serverCpuMsPerReq: cpu0 === null || cpu1 === null || done === 0 ? null : round((cpu1 - cpu0) / done, 3),
  };
}

// ---------------------------------------------------------------------------------------------
// Numbers

const round = (x, digits = 1) => (x === null || Number.isNaN(x) ? null : Number(x.toFixed(digits)));
function percentile(sorted, p) {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
}
function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

// ---------------------------------------------------------------------------------------------
// Phases

/** Loads undici before anything is timed: the first fetch of a process costs tens of ms. */
async function warmUpFetch() {
  const server = createServer((_req, res) => res.end('ok'));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address();
  for (let i = 0; i < 3; i++) await (await fetch(`http://127.0.0.1:${port}/`)).text();
  server.closeAllConnections();
  server.close();
}

/** Baseline: spawn → exit of `node -e 0`, what any Node CLI pays before its first import. */
async function nodeBaseline() {
  const runs = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    const child = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
    children.add(child);
    await once(child, 'exit');
    children.delete(child);
    runs.push(performance.now() - t0);
  }
  return round(median(runs));
}

function storedKeys(file) {
  try {
    const data = JSON.parse(readFileSync(file, 'utf8'));
    return Array.isArray(data.signingKeys) ? data.signingKeys : null;
  } catch {
    return null; // not there yet, or caught mid-write
  }
}

/** Priming run: one token request makes the mock generate (and persist) its RSA key. */
async function primeDataFile(db) {
  const prime = startMock(['--port', '0', '--data', db, '--auto-approve', 'dev']);
  try {
    const { url } = await prime.ready;
    await exchange(url, await authorize(url));
    const deadline = performance.now() + 5_000;
    let keys = storedKeys(db);
    while (!(keys && keys.length === 1) && performance.now() < deadline) {
      await sleep(20);
      keys = storedKeys(db);
    }
    if (!keys || keys.length !== 1) throw new Error(`${db} has no single signing key after 5 s (signingKeys: ${keys ? keys.length : 'unreadable'})`);
    const keyOnDiskMs = performance.now() - prime.t0;
    const kid = keys[0].kid;
    const jwks = await getJson(`${url}/.well-known/jwks.json`);
    if (jwks.keys?.[0]?.kid !== kid) throw new Error(`JWKS kid ${jwks.keys?.[0]?.kid} differs from the stored ${kid}`);
    return { kid, keyOnDiskMs };
  } finally {
    const { code, signal } = await prime.stop();
    if (code !== 0) console.error(`bench: priming instance exited with ${signal ?? code}: ${prime.stderr().trim()}`);
  }
}

function summarise(runs) {
  const ms = runs.map((r) => r.ms);
  const cpu = runs.map((r) => r.cpuMs);
  return {
    runsMs: ms.map((x) => round(x)),
    medianMs: round(median(ms)),
    maxMs: round(Math.max(...ms)),
    bannerMedianMs: round(median(runs.map((r) => r.bannerMs))),
    childCpuMedianMs: cpu.includes(null) ? null : round(median(cpu)),
  };
}

/** Cold (--in-memory) and warm (--data, key already stored) starts, alternated so drift hits both alike. */
async function startUp() {
  tempDir = mkdtempSync(join(tmpdir(), 'glossia-mock-bench-'));
  const db = join(tempDir, 'db.json');
  const { kid, keyOnDiskMs } = await primeDataFile(db);

  const cold = [];
  const warm = [];
  const kids = [];
  for (let i = 0; i < RUNS; i++) {
    const c = await timeToDiscovery(['--port', '0', '--in-memory']);
    await c.mock.stop();
    cold.push(c);
    const w = await timeToDiscovery(['--port', '0', '--data', db]);
    try {
      warm.push(w);
      const keys = (await getJson(`${w.url}/.well-known/jwks.json`)).keys ?? [];
      kids.push(keys.length === 1 ? keys[0].kid : `<${keys.length} keys>`);
    } finally {
      await w.mock.stop();
    }
  }
  const after = storedKeys(db);
  const coldSummary = summarise(cold);
  return {
    cold: { ...coldSummary, targetMs: COLD_TARGET_MS, pass: coldSummary.medianMs < COLD_TARGET_MS },
    warm: {
      ...summarise(warm),
      storeBytes: readFileSync(db).length,
      primeKeyOnDiskMs: round(keyOnDiskMs),
      kid,
      keyReused: kids.length === RUNS && kids.every((k) => k === kid) && after?.length === 1 && after[0].kid === kid,
    },
  };
}

async function tokenThroughput() {
  const m = startMock(['--port', '0', '--in-memory', '--auto-approve', 'dev', '--rate-limits', 'off']);
  try {
    const { url } = await m.ready;
    const pid = m.child.pid;
    // Spawn -> first token: what a CI job waits for (--in-memory generates the RSA key after listen).
    const first = await exchange(url, await authorize(url));
    const firstTokenMs = performance.now() - m.t0;
    await refresh(url, first.refresh_token);
    // Warm-up (JIT) outside the timed parts.
    for (let i = 0; i < 20; i++) await refresh(url, (await exchange(url, await authorize(url))).refresh_token);

    const maxMs = Math.max(2_000, Math.min(10_000, budgetLeft() / 6));
    const codes = [];
    const authorizeCodes = await pool({
      count: N,
      maxMs,
      pid,
      task: async (i) => {
        codes[i] = await authorize(url);
      },
    });
    const ready = codes.filter(Boolean);
    const refreshTokens = [];
    const exchanges = await pool({
      count: ready.length,
      maxMs,
      pid,
      task: async (i) => {
        refreshTokens[i] = (await exchange(url, ready[i])).refresh_token;
      },
    });
    const usable = refreshTokens.filter(Boolean);
    const refreshes = await pool({ count: usable.length, maxMs, pid, task: (i) => refresh(url, usable[i]) });
    return { n: N, firstTokenMs: round(firstTokenMs), authorizeCodes, authorizationCode: exchanges, refreshToken: refreshes };
  } finally {
    await m.stop();
  }
}

async function flowsAndApi() {
  const m = startMock(['--port', '0', '--in-memory', '--auto-approve', 'dev', '--rate-limits', 'off']);
  try {
    const { url } = await m.ready;
    const pid = m.child.pid;
    for (let i = 0; i < 20; i++) await exchange(url, await authorize(url));

    const flows = await pool({
      count: 1000,
      maxMs: Math.min(5_000, Math.max(1_000, budgetLeft() / 3)),
      pid,
      task: async () => {
        await exchange(url, await authorize(url));
      },
    });

    const { access_token: token } = await exchange(url, await authorize(url, 'project:read'));
    const headers = { authorization: `Bearer ${token}` };
    const first = await getJson(`${url}/api/projects`, headers);
    if (!Array.isArray(first.projects)) throw new Error(`/api/projects: unexpected body ${JSON.stringify(first).slice(0, 200)}`);
    for (let i = 0; i < 50; i++) await getJson(`${url}/api/projects`, headers);
    const api = await pool({
      maxMs: Math.min(3_000, Math.max(1_000, budgetLeft() / 2)),
      pid,
      task: () => getJson(`${url}/api/projects`, headers),
    });
    api.projectsPerResponse = first.projects.length;
    return { flows, api };
  } finally {
    await m.stop();
  }
}

// ---------------------------------------------------------------------------------------------
// Report

const pad = (s, n) => String(s).padEnd(n);
function rateLine(label, r, unit = 'req/s') {
  const cpu = r.serverCpuMsPerReq === null ? '' : `  server CPU ${r.serverCpuMsPerReq} ms/${unit === 'flows/s' ? 'flow' : 'req'}`;
  const err = r.errors ? `  ${r.errors} ERRORS (first: ${r.firstError})` : '';
  return `  ${pad(label, 30)} ${pad(`${Math.round(r.perSec)} ${unit}`, 14)} p50 ${r.p50Ms} ms  p99 ${r.p99Ms} ms  (${r.done} in ${r.ms} ms)${cpu}${err}`;
}

async function main() {
  const results = {
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    cpus: cpus().length,
    concurrency: CONCURRENCY,
    loadAvgBefore: round(loadavg()[0], 2),
  };
  const failures = [];
  console.log(
    `glossia-mock bench: node ${process.version}, ${results.platform}, ${results.cpus} CPUs, load average ${results.loadAvgBefore}` +
      (results.loadAvgBefore > results.cpus * 0.75 ? ' (busy machine: expect noisy wall-clock numbers; child CPU times are steadier)' : ''),
  );

  await warmUpFetch();
  results.nodeBaselineMs = await nodeBaseline();

  const { cold, warm } = await startUp();
  results.coldStart = cold;
  results.warmStart = warm;
  console.log(
    `\nstart-up (spawn -> first 200 of /.well-known/oauth-authorization-server, ${RUNS} runs each, alternated)\n` +
      `  ${pad('cold  --in-memory', 30)} median ${cold.medianMs} ms  max ${cold.maxMs} ms   target < ${COLD_TARGET_MS} ms: ${cold.pass ? 'ok' : 'MISS'}\n` +
      `  ${pad('', 30)} runs ${cold.runsMs.join(', ')}\n` +
      `  ${pad('', 30)} banner at ${cold.bannerMedianMs} ms; child CPU ${cold.childCpuMedianMs ?? '?'} ms; \`node -e 0\` alone ${results.nodeBaselineMs} ms`,
  );

  console.log(
    `  ${pad('warm  --data db.json', 30)} median ${warm.medianMs} ms  max ${warm.maxMs} ms   runs ${warm.runsMs.join(', ')}\n` +
      `  ${pad('', 30)} banner at ${warm.bannerMedianMs} ms; child CPU ${warm.childCpuMedianMs ?? '?'} ms; store ${warm.storeBytes} bytes\n` +
      `  ${pad('', 30)} priming run: key on disk ${warm.primeKeyOnDiskMs} ms after spawn\n` +
      `  signing key reused: ${warm.keyReused ? 'yes' : 'NO'} (kid ${warm.kid})`,
  );
  if (!warm.keyReused) failures.push('signing key was not reused on a warm start');

  const tok = await tokenThroughput();
  results.token = tok;
  console.log(`  ${pad('first token  --in-memory', 30)} ${tok.firstTokenMs} ms after spawn (authorize + token; includes RSA key generation)`);
  console.log(`\nthroughput (one instance, --in-memory --auto-approve dev, ${CONCURRENCY} concurrent requests)`);
  console.log(rateLine(`GET /oauth/authorize (codes)`, tok.authorizeCodes));
  console.log(rateLine(`POST /oauth/token code`, tok.authorizationCode));
  console.log(rateLine(`POST /oauth/token refresh`, tok.refreshToken));

  const { flows, api } = await flowsAndApi();
  results.flows = flows;
  results.api = api;
  console.log(rateLine('authorize + token flow', flows, 'flows/s'));
  console.log(rateLine('GET /api/projects', api));

  for (const [name, r] of [
    ['authorize', tok.authorizeCodes],
    ['token (authorization_code)', tok.authorizationCode],
    ['token (refresh_token)', tok.refreshToken],
    ['flows', flows],
    ['api', api],
  ]) {
    if (r.errors > 0) failures.push(`${name}: ${r.errors} errors (first: ${r.firstError})`);
    if (r.done === 0) failures.push(`${name}: nothing completed`);
  }
  if (tok.authorizationCode.done < N) console.log(`  note: only ${tok.authorizationCode.done}/${N} code exchanges fitted the time budget`);

  results.totalMs = round(performance.now() - benchStart);
  results.loadAvgAfter = round(loadavg()[0], 2);
  results.failures = failures;
  console.log(`\ntotal ${(results.totalMs / 1000).toFixed(1)} s, load average ${results.loadAvgAfter}${failures.length ? `\nFAILED:\n  ${failures.join('\n  ')}` : ''}`);
  console.log(`BENCH_JSON ${JSON.stringify(results)}`);
  return failures.length === 0 ? 0 : 1;
}

let exitCode = 1;
try {
  exitCode = await main();
} catch (err) {
  console.error(`bench failed: ${err?.stack ?? err}`);
  exitCode = 1;
} finally {
  cleanupSync(); // normally a no-op: every phase stops its own instance
}
process.exit(exitCode);
