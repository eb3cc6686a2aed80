// The package as a user gets it from npm: `npm pack`, install the tarball into an empty project with
// production dependencies only, run `npx glossia-mock`, and import the library from there.
//
// Packing happens in a temporary copy of the project: `prepack` empties dist/ and `prepare` rebuilds
// it, which must not happen to the work tree the other test files run from. Needs the npm registry
// for the production dependencies (npm's cache is preferred, so a warm machine needs no network).
import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, realpath, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { discoveryOf, spawnMock } from './helpers/cli.js';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SLOW = 120_000;

/** npm quietly, from its cache when it can, never asking about updates, audits or funding. */
const npmEnv = {
  ...process.env,
  npm_config_prefer_offline: 'true',
  npm_config_update_notifier: 'false',
  npm_config_audit: 'false',
  npm_config_fund: 'false',
  npm_config_loglevel: 'warn',
};

interface PackResult {
  filename: string;
  files: { path: string }[];
}

let work: string;
let app: string;
let tarballFiles: string[];

/** A developer's checkout (less dependencies and build output), with leftovers that must not ship. */
async function copyProject(to: string): Promise<void> {
  const skip = new Set(['node_modules', '.git', 'dist', 'build', 'coverage']);
  for (const entry of await readdir(ROOT)) {
    if (skip.has(entry) || entry.endsWith('.tgz')) continue;
    await cp(join(ROOT, entry), join(to, entry), { recursive: true, filter: (from) => basename(from) !== 'node_modules' });
  }
  // The build needs TypeScript; the copy borrows the project's own node_modules.
  await symlink(join(ROOT, 'node_modules'), join(to, 'node_modules'), 'dir');
  // Leftovers of a developer's tree: a data file and the output of a source file removed since.
  await mkdir(join(to, '.glossia-mock'), { recursive: true });
  await writeFile(join(to, '.glossia-mock', 'db.json'), '{}');
  await mkdir(join(to, 'dist'), { recursive: true });
  await writeFile(join(to, 'dist', 'removed-long-ago.js'), 'export {};\n');
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'glossia-mock-package-'));
  const project = join(work, 'project');
  await mkdir(project);
  await copyProject(project);

  const { stdout } = await run('npm', ['pack', '--pack-destination', work, '--json'], {
    cwd: project,
    env: npmEnv,
    maxBuffer: 16 * 1024 * 1024,
  });
  // Lifecycle output goes to stderr with --json; still, read from the JSON array's start.
  const pack = JSON.parse(stdout.slice(stdout.indexOf('['))) as PackResult[];
  const tarball = join(work, pack[0]!.filename);
  tarballFiles = pack[0]!.files.map((f) => f.path);

  app = join(work, 'app');
  await mkdir(app);
  await run('npm', ['init', '-y'], { cwd: app, env: npmEnv });
  await run('npm', ['install', tarball, '--omit=dev', '--no-audit', '--no-fund', '--prefer-offline'], {
    cwd: app,
    env: npmEnv,
    maxBuffer: 16 * 1024 * 1024,
  });
}, SLOW);

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

/** Runs `npx glossia-mock …` in the app folder and waits for the banner. */
function startNpx(args: string[]) {
  // --no: never fetch a package of that name from the registry, use the installed one. The `--` is
  // needed after it, or npm reads the mock's flags as its own. npx runs the bin through a shell;
  // a process group of its own lets us stop the whole tree.
  return spawnMock('npx', ['--no', '--', 'glossia-mock', ...args], { cwd: app, env: npmEnv, detached: true, timeout: 30_000 });
}

describe('the npm package', () => {
  it('ships bin/, dist/ and fixtures/, and nothing of the checkout', () => {
    const top = new Set(tarballFiles.map((p) => p.split('/')[0]));
    expect(tarballFiles).toContain('bin/glossia-mock.js');
    expect(tarballFiles).toContain('dist/index.js');
    expect(tarballFiles).toContain('dist/index.d.ts');
    expect(tarballFiles).toContain('dist/cli/main.js');
    // What bin/ and the main export load: one file per entry (scripts/bundle.js).
    expect(tarballFiles).toContain('dist/bundle/cli.js');
    expect(tarballFiles).toContain('dist/bundle/index.js');
    expect(tarballFiles).toContain('fixtures/users.json');
    expect(tarballFiles).toContain('package.json');
    for (const unwanted of ['src', 'test', 'node_modules', '.glossia-mock', 'scripts', 'bench', '.ci', 'Dockerfile'])
      expect(top, unwanted).not.toContain(unwanted);
    // prepack empties dist/ before prepare rebuilds it: no output of deleted sources, no tsc state.
    expect(tarballFiles).not.toContain('dist/removed-long-ago.js');
    expect(tarballFiles).not.toContain('dist/.tsbuildinfo');
    expect(tarballFiles.filter((p) => p.endsWith('.ts') && !p.endsWith('.d.ts'))).toEqual([]);
  });

  it('installs with production dependencies only and without building', async () => {
    const installed = join(app, 'node_modules');
    for (const dev of ['typescript', 'vitest', '@types/node', 'playwright-core'])
      await expect(stat(join(installed, dev)), dev).rejects.toThrow();
    await expect(stat(join(installed, 'glossia-mock', 'dist', 'index.js'))).resolves.toBeTruthy();
    await expect(stat(join(installed, '.bin', 'glossia-mock'))).resolves.toBeTruthy();
  });

  it('runs as `npx glossia-mock` and serves discovery and /up', async () => {
    const s = startNpx(['--port', '0', '--in-memory']);
    try {
      await discoveryOf(s);
      const up = await fetch(`${await s.url}/up`);
      expect(up.status).toBe(200);
    } finally {
      await s.stop();
    }
    // --in-memory writes no data file next to the user's project.
    await expect(stat(join(app, '.glossia-mock'))).rejects.toThrow();
  }, 60_000);

  it("exports startGlossiaMock from the installed package's main entry", async () => {
    const script = `
      const resolved = import.meta.resolve('glossia-mock');
      const m = await import('glossia-mock');
      const idp = await m.startGlossiaMock({ rateLimits: 'off' });
      try {
        const res = await fetch(idp.url + '/.well-known/oauth-authorization-server');
        const meta = await res.json();
        console.log(JSON.stringify({ resolved, status: res.status, issuer: meta.issuer, expected: idp.issuer }));
      } finally {
        await idp.stop();
      }`;
    const { stdout } = await run('node', ['--input-type=module', '-e', script], { cwd: app, env: npmEnv, timeout: 30_000 });
    const result = JSON.parse(stdout.trim().split('\n').pop()!) as Record<string, unknown>;
    const installed = join(await realpath(app), 'node_modules', 'glossia-mock', 'dist', 'bundle', 'index.js');
    expect(result['resolved']).toBe(pathToFileURL(installed).href);
    expect(result['status']).toBe(200);
    expect(result['issuer']).toBe(result['expected']);
  }, 60_000);
});
