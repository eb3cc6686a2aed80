// kill -9 loses nothing a client was told: 8 clients register, run a flow, then rotate refresh
// tokens and create a project with each new access token, against the CLI on a data file. Once
// db.json has been rewritten in the background with some of those projects (so the restart replays
// a change journal that continues a checkpoint), the process is killed with SIGKILL the moment the
// last in-flight response has arrived (a store that writes after responding loses the newest
// rotations and projects), restarted on the same file, and every client, its newest refresh token
// and every project it was told about must be there.
import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startCli, type Started } from './helpers/cli.js';
import { authorizeUrl, pkce, postForm } from './helpers/mock.js';

const CLIENTS = 8;
const REDIRECT = 'http://localhost:9999/cb';

let dir: string;
const started: Started[] = [];
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'glossia-mock-kill-'));
});
afterAll(async () => {
  await Promise.all(started.map((s) => s.stop()));
  await rm(dir, { recursive: true, force: true });
});

interface Acknowledged {
  clientId: string;
  secret: string;
  /** The refresh token of the newest token response received. */
  refreshToken: string;
  rotations: number;
  /** Handles of the projects it created (201 received). */
  projects: string[];
}

function start(file: string) {
  const s = startCli(['--port', '0', '--data', file, '--auto-approve', 'dev', '--rate-limits', 'off']);
  started.push(s);
  return s;
}

async function json(res: Response, status: number) {
  const body = await res.json();
  expect(res.status, JSON.stringify(body)).toBe(status);
  return body;
}

const createProject = (base: string, accessToken: string, handle: string) =>
  fetch(`${base}/api/dev/projects`, {
    method: 'POST',
    headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ project_handle: handle, name: handle }),
  });

/** Whether the lowdb file itself (not only its change journal) holds a project this test created. */
const checkpointed = async (file: string) => (await readFile(file, 'utf8').catch(() => '')).includes('"killed-');

const refresh = (base: string, c: Acknowledged) =>
  postForm(`${base}/oauth/token`, { grant_type: 'refresh_token', refresh_token: c.refreshToken, client_id: c.clientId, client_secret: c.secret });

const ROTATIONS = 5;
let clientsStarted = 0;

/**
 * register → authorize → token, then refresh until `stopping`; resolves once nothing is in flight.
 * `acked` is called with the client's record once it holds tokens (it is updated as they rotate).
 */
async function client(base: string, stopping: () => boolean, acked: (c: Acknowledged) => void): Promise<Acknowledged> {
  const registered = await json(
    await fetch(`${base}/oauth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ client_name: 'Killed', redirect_uris: [REDIRECT] }),
    }),
    201,
  );
  const n = ++clientsStarted;
  const { verifier, challenge } = pkce();
  const scope = 'project:read project:write';
  const authorize = await fetch(authorizeUrl(base, { clientId: registered.client_id, redirectUri: REDIRECT, challenge, scope }), {
    redirect: 'manual',
  });
  expect(authorize.status).toBe(302);
  const code = new URL(authorize.headers.get('location')!).searchParams.get('code')!;
  const tokens = await json(
    await postForm(`${base}/oauth/token`, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT,
      code_verifier: verifier,
      client_id: registered.client_id,
      client_secret: registered.client_secret,
    }),
    200,
  );
  const record: Acknowledged = { clientId: registered.client_id, secret: registered.client_secret, refreshToken: tokens.refresh_token, rotations: 0, projects: [] };
  acked(record);
  while (!stopping()) {
    const rotated = await json(await refresh(base, record), 200);
    record.refreshToken = rotated.refresh_token;
    record.rotations++;
    const handle = `killed-${n}-${record.rotations}`;
    await json(await createProject(base, rotated.access_token, handle), 201);
    record.projects.push(handle);
  }
  return record;
}

it('loses no acknowledged client or refresh token when killed with SIGKILL', async () => {
  const file = join(dir, 'db.json');
  const first = start(file);
  const base = await first.url;
  let stop = false;
  const progress: Acknowledged[] = [];
  const running = Array.from({ length: CLIENTS }, () => client(base, () => stop, (c) => progress.push(c)));
  // Let every client rotate a few times (however loaded the machine), then stop them and kill at
  // once when the last answer is in.
  const failed = Promise.all(running).then(() => new Error('the clients stopped by themselves'));
  while (progress.length < CLIENTS || progress.some((c) => c.rotations < ROTATIONS) || !(await checkpointed(file))) {
    await Promise.race([new Promise((resolve) => setTimeout(resolve, 20)), failed.then((err) => Promise.reject(err))]);
  }
  stop = true;
  const acked = await Promise.all(running);
  first.child.kill('SIGKILL');
  await once(first.child, 'exit');

  const second = start(file);
  const again = await second.url;
  let listed: string[] = [];
  for (const c of acked) {
    const tokens = await json(await refresh(again, c), 200);
    const api = await fetch(`${again}/api/dev/projects?page_size=1000`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
    listed = (await json(api, 200)).projects.map((p: { handle: string }) => p.handle);
  }
  const created = acked.flatMap((c) => c.projects);
  expect(created.length).toBeGreaterThanOrEqual(CLIENTS * ROTATIONS);
  expect(listed.filter((h) => h.startsWith('killed-')).sort()).toEqual(created.sort());
  expect(second.stderr()).toBe('');
  await second.stop();
});
