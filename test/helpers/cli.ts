// The command-line mock as a developer runs it: started as a child process, ready once its banner
// is printed, stopped with SIGTERM.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';
import { expect } from 'vitest';

/** The CLI's entry point, bin/glossia-mock.js. */
export const BIN = new URL('../../bin/glossia-mock.js', import.meta.url).pathname;

/** The banner is complete once it lists the pre-registered clients. */
const BANNER_END = /Pre-registered clients:[\s\S]*redirect_uris/;

export interface Started {
  child: ChildProcess;
  /** The whole banner, once it is printed. Rejects if the process exits first or prints none in time. */
  ready: Promise<string>;
  /** The address the banner says it listens on. */
  url: Promise<string>;
  /** What the process wrote to stderr so far. */
  stderr: () => string;
  /** SIGTERM (to the process group of a detached process), then its exit code once it exited. */
  stop: () => Promise<number | null>;
}

export interface SpawnOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** In a process group of its own, which `stop` ends as a whole (for a command that runs the CLI through a shell). */
  detached?: boolean;
  /** How long to wait for the banner, in ms. */
  timeout?: number;
}

/** Starts `command args` (the CLI, or something that runs it) and waits for its banner. */
export function spawnMock(command: string, args: string[], options: SpawnOptions = {}): Started {
  const { env = process.env, cwd, detached = false, timeout = 10_000 } = options;
  const child = spawn(command, args, { env, cwd, detached, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const ready = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no banner after ${timeout / 1000} s:\n${out}\n${err}`)), timeout);
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (BANNER_END.test(out)) {
        clearTimeout(timer);
        resolve(out);
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${command} exited ${code}:\n${out}\n${err}`));
    });
  });
  const url = ready.then((banner) => {
    const listening = /listening\s+(\S+)/.exec(banner);
    if (!listening) throw new Error(`no listening address in the banner:\n${banner}`);
    return listening[1]!;
  });
  // Unobserved until a test asks for it; a failed start is reported through `ready`.
  url.catch(() => undefined);
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      if (detached) process.kill(-child.pid!, 'SIGTERM');
      else child.kill('SIGTERM');
    }
    return exited;
  };
  return { child, ready, url, stderr: () => err, stop };
}

/**
 * The started mock serves discovery at the address of its banner, naming the banner's issuer;
 * returns the metadata.
 */
export async function discoveryOf(started: Started): Promise<Record<string, unknown>> {
  const issuer = /issuer\s+(\S+)/.exec(await started.ready)?.[1];
  expect(issuer, 'the issuer line of the banner').toBeDefined();
  const res = await fetch(`${await started.url}/.well-known/oauth-authorization-server`);
  const meta = (await res.json()) as Record<string, unknown>;
  expect(res.status, JSON.stringify(meta)).toBe(200);
  expect(meta['issuer']).toBe(issuer);
  return meta;
}

/** Starts `node bin/glossia-mock.js args` with `env` added to this process's environment. */
export function startCli(args: string[], env: Record<string, string> = {}): Started {
  return spawnMock('node', [BIN, ...args], { env: { ...process.env, ...env } });
}

const run = promisify(execFile);

/** Runs the CLI, which must fail within 10 s; its exit code and stderr. */
export async function cliFails(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stderr: string }> {
  try {
    await run('node', [BIN, ...args], { env: { ...process.env, ...env }, timeout: 10_000 });
  } catch (err) {
    const e = err as { code: number; stderr: string };
    return { code: e.code, stderr: e.stderr };
  }
  throw new Error('expected the command to fail');
}
