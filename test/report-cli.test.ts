// --report FILE and --report-fail-on: the conformance report written at shutdown, the exit status.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliFails, startCli } from './helpers/cli.js';
import { authorizeUrl, DEMO, pkce } from './helpers/mock.js';
import type { Report } from '../src/report/engine.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'glossia-mock-report-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const authorize = async (base: string, state?: string) => {
  const res = await fetch(authorizeUrl(base, { challenge: pkce().challenge, ...(state ? { state } : {}) }), { redirect: 'manual' });
  expect(res.status).toBe(302);
};

describe('--report at shutdown', () => {
  it('JUnit XML for *.xml, and exit status 1 with --report-fail-on fail when a check failed; JSON from GLOSSIA_MOCK_REPORT, exit 0 when nothing fired', async () => {
    const xmlFile = join(dir, 'reports', 'conformance.xml');
    const jsonFile = join(dir, 'conformance.json');
    const sloppy = startCli(['--port', '0', '--in-memory', '--auto-approve', 'dev', '--report', xmlFile, '--report-fail-on', 'fail']);
    const careful = startCli(['--port', '0', '--in-memory', '--auto-approve', 'dev', '--report-fail-on', 'warn'], { GLOSSIA_MOCK_REPORT: jsonFile });
    await Promise.all([authorize(await sloppy.url), authorize(await careful.url, pkce().verifier)]);
    const [sloppyExit, carefulExit] = await Promise.all([sloppy.stop(), careful.stop()]);

    expect(sloppyExit, sloppy.stderr()).toBe(1);
    expect(sloppy.stderr()).toContain('client conformance: 1 failed, 0 warnings');
    expect(sloppy.stderr()).toContain('Glossia Mock Demo: state.present');
    const xml = await readFile(xmlFile, 'utf8');
    expect(xml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="glossia-mock client conformance" tests="24" failures="1" errors="0">/);
    expect(xml).toContain(`<testsuite name="Glossia Mock Demo (${DEMO.clientId})" tests="24" failures="1" errors="0" skipped="19"`);
    expect(xml).toMatch(
      /<testcase classname="glossia-mock\.conformance\.[0-9a-f-]+" name="state\.present: Every authorization request carries state"><failure type="fail" message="1 violation: no state parameter">Every authorization request carries state \(RFC 6749 §10\.12; guide step 3 and security checklist\)\n#1 [\d\-T:.Z]+ GET \/oauth\/authorize → 302 \(flow [0-9a-f-]+\): no state parameter<\/failure><\/testcase>/,
    );
    expect(xml).toContain('name="pkce.s256: Every authorization request carries a PKCE code_challenge with code_challenge_method=S256"></testcase>');
    expect(xml).toContain('<skipped message="not observed: no request this check applies to"/>');

    expect(carefulExit, careful.stderr()).toBe(0);
    const report = JSON.parse(await readFile(jsonFile, 'utf8')) as Report;
    expect(report.summary).toMatchObject({ clients: 1, fail: 0, warn: 0 });
    expect(report.clients[0]).toMatchObject({ client_id: DEMO.clientId, requests: 1 });
  });

  it('refuses an unknown --report-fail-on level', async () => {
    const { code, stderr } = await cliFails(['--in-memory', '--report-fail-on', 'sometimes']);
    expect(code).not.toBe(0);
    expect(stderr).toMatch(/report-fail-on/);
  });
});
