// kill -9 loses nothing a client was told: 8 clients register, run a flow and rotate refresh
// tokens against the CLI on a data file; the process is killed with SIGKILL the moment the last
// in-flight response has arrived (so a store that writes after responding loses the newest
// rotations), restarted on the same file, and every client and its newest refresh token must work.
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
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

const refresh = (base: string, c: Acknowledged) =>
  postForm(`${base}/oauth/token`, { grant_type: 'refresh_token', refresh_token: c.refreshToken, client_id: c.clientId, client_secret: c.secret });

const ROTATIONS = 5;

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
  const { verifier, challenge } = pkce();
  const authorize = await fetch(authorizeUrl(base, { clientId: registered.client_id, redirectUri: REDIRECT, challenge, scope: 'project:read' }), {
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
  const record: Acknowledged = { clientId: registered.client_id, secret: registered.client_secret, refreshToken: tokens.refresh_token, rotations: 0 };
  acked(record);
  while (!stopping()) {
    record.refreshToken = (await json(await refresh(base, record), 200)).refresh_token;
    record.rotations++;
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
  while (progress.length < CLIENTS || progress.some((c) => c.rotations < ROTATIONS)) {
    await Promise.race([new Promise((resolve) => setTimeout(resolve, 20)), failed.then((err) => Promise.reject(err))]);
  }
  stop = true;
  const acked = await Promise.all(running);
  first.child.kill('SIGKILL');
  await once(first.child, 'exit');

  const second = start(file);
  const again = await second.url;
  for (const c of acked) {
    const tokens = await json(await refresh(again, c), 200);
    const api = await fetch(`${again}/api/projects`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
    expect(api.status).toBe(200);
  }
  expect(second.stderr()).toBe('');
  await second.stop();
});
