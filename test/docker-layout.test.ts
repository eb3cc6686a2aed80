// The Docker image without a Docker engine: scripts/docker-build.sh builds the image's /app in a
// clean copy of the build context, scripts/docker-smoke.sh runs it with the image's environment and
// the Dockerfile's HEALTHCHECK. A quick check first: the scripts still follow the Dockerfile.
//
// Needs the npm registry for `npm ci` (npm's cache is preferred, so a warm machine needs no network).
import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** The Dockerfile's instructions, continuation lines joined, comments dropped. */
function instructions(dockerfile: string): string[] {
  return dockerfile
    .replace(/\\\n\s*/g, '')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
}

describe('the Docker image, built without Docker', () => {
  let work: string;

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'glossia-mock-docker-'));
  });
  afterAll(async () => {
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('scripts/docker-build.sh and docker-smoke.sh follow every step of the Dockerfile', async () => {
    const dockerfile = await readFile(join(ROOT, 'Dockerfile'), 'utf8');
    const scripts =
      (await readFile(join(ROOT, 'scripts', 'docker-build.sh'), 'utf8')) +
      (await readFile(join(ROOT, 'scripts', 'docker-smoke.sh'), 'utf8'));
    const steps = instructions(dockerfile);
    expect(steps.filter((s) => s.startsWith('FROM '))).toEqual(['FROM ${NODE_IMAGE} AS build', 'FROM ${NODE_IMAGE}']);
    // Each step that shapes /app or starts the server is quoted, as a comment, where the script does it.
    for (const step of steps.filter((s) => /^(FROM|WORKDIR|COPY|RUN|CMD|ENTRYPOINT) /.test(s))) {
      const quoted = step.startsWith('WORKDIR ') ? `/  ${step}` : `# ${step}`;
      expect(scripts, `scripts/docker-*.sh should quote "${step}"`).toContain(quoted);
    }
    // The smoke test sets every variable of the image's ENV.
    const env = steps.find((s) => s.startsWith('ENV '))!;
    for (const [, name] of env.matchAll(/(\w+)=/g)) expect(scripts, `ENV ${name}`).toMatch(new RegExp(`\\b${name}=`));
    expect(env).toContain('NODE_ENV=production');
    expect(env).toContain('GLOSSIA_MOCK_HOST=0.0.0.0');
    // The health check follows the port variable; docker-compose.example.yml writes out the same one.
    const probe = /CMD node -e "(.+)"$/.exec(steps.find((s) => s.startsWith('HEALTHCHECK ')) ?? '')?.[1];
    expect(probe).toContain('process.env.GLOSSIA_MOCK_PORT');
    const compose = await readFile(join(ROOT, 'docker-compose.example.yml'), 'utf8');
    expect(compose).toContain(`test: ["CMD", "node", "-e", "${probe}"]`);
    // Only the HEALTHCHECK flags that Podman 4 / Buildah 1.28 and Docker's classic builder before
    // Engine 25 know (--start-interval fails their build); compose brings the fast first probe.
    const flags = [...(steps.find((s) => s.startsWith('HEALTHCHECK ')) ?? '').split(' CMD ')[0]!.matchAll(/--([a-z-]+)=/g)].map((m) => m[1]);
    expect(flags.filter((f) => !['interval', 'timeout', 'start-period', 'retries'].includes(f!))).toEqual([]);
    expect(compose).toMatch(/^ {6}start_interval: 1s$/m);
    // The volume is made writable for the user that runs, before VOLUME (later changes would be lost).
    expect(steps.indexOf('RUN mkdir -p /data && chown node:node /data')).toBeLessThan(steps.indexOf('USER node'));
    expect(steps.indexOf('USER node')).toBeLessThan(steps.indexOf('VOLUME ["/data"]'));
    // Without --ignore-scripts, `npm ci` would run `prepare` (a TypeScript build) in either stage.
    for (const step of steps.filter((s) => s.includes('npm ci'))) expect(step).toContain('--ignore-scripts');
  });

  it('builds the layout in a clean copy of the build context and passes the smoke test', async () => {
    // What a checkout of the submitted tree holds (no node_modules, no dist): the Dockerfile's inputs.
    const context = join(work, 'context');
    await mkdir(join(context, 'scripts'), { recursive: true });
    const tsconfigs = (await readdir(ROOT)).filter((f) => /^tsconfig.*\.json$/.test(f));
    for (const entry of ['package.json', 'package-lock.json', ...tsconfigs, 'src', 'bin', 'fixtures', 'Dockerfile', '.dockerignore'])
      await cp(join(ROOT, entry), join(context, entry), { recursive: true });
    for (const script of ['docker-build.sh', 'docker-smoke.sh', 'bundle.js'])
      await cp(join(ROOT, 'scripts', script), join(context, 'scripts', script));

    const env = {
      ...process.env,
      npm_config_prefer_offline: 'true',
      npm_config_update_notifier: 'false',
      npm_config_loglevel: 'warn',
    };
    const started = performance.now();
    const build = await run('bash', ['scripts/docker-build.sh'], { cwd: context, env, maxBuffer: 16 * 1024 * 1024 });
    const built = performance.now();
    const layout = join(context, 'build', 'image');
    expect(build.stdout).toContain(`image layout (the image's /app) in ${layout}`);
    expect((await readdir(layout)).sort()).toEqual(['bin', 'dist', 'fixtures', 'node_modules', 'package-lock.json', 'package.json']);
    await expect(stat(join(layout, 'node_modules', 'typescript'))).rejects.toThrow();

    const smoke = await run('bash', ['scripts/docker-smoke.sh'], { cwd: context, env, timeout: 60_000 });
    const smoked = performance.now();
    expect(smoke.stdout).toContain('docker-smoke: HEALTHCHECK passed');
    expect(smoke.stdout).toContain('docker-smoke: data file created in the volume');
    expect(smoke.stdout).toContain('docker-smoke: stopped cleanly on SIGTERM');
    expect(smoke.stdout).toMatch(/docker-smoke: OK\n$/);
    const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
    console.log(
      `${smoke.stdout.slice(smoke.stdout.indexOf('docker-smoke: layout size'))}` +
        `docker-build.sh ${seconds(built - started)}, docker-smoke.sh ${seconds(smoked - built)}`,
    );
  }, 240_000);
});
