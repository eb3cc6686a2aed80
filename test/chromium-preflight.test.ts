// `npm test` starts with scripts/check-chromium.js: on a machine without Chromium it stops at once
// with one line saying how to get it, instead of a screen of failing browser tests.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const SCRIPT = fileURLToPath(new URL('../scripts/check-chromium.js', import.meta.url));
const PACKAGE = fileURLToPath(new URL('../package.json', import.meta.url));

describe('the Chromium preflight of npm test', () => {
  it('stops with one line naming the install command when the browser is missing', async () => {
    const failed = await run(process.execPath, [SCRIPT, '/nonexistent/chromium']).then(
      () => null,
      (err: { code: number; stdout: string; stderr: string }) => err,
    );
    expect(failed?.code).toBe(1);
    expect(failed?.stdout).toBe('');
    expect(failed?.stderr).toBe(
      "npm test needs Chromium at /nonexistent/chromium for the browser tests: apt-get install -y chromium (CI's .ci/run installs it).\n",
    );
  });

  it('passes silently when the browser is there, and runs first in npm test', async () => {
    await expect(run(process.execPath, [SCRIPT, process.execPath])).resolves.toEqual({ stdout: '', stderr: '' });
    const { scripts } = (await import(PACKAGE, { with: { type: 'json' } })).default as { scripts: Record<string, string> };
    expect(scripts['test']).toMatch(/^node scripts\/check-chromium\.js && /);
  });
});
