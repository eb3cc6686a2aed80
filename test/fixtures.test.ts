import { mkdtemp, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultFixturesDir, fixtureFileNames, loadFixtures } from '../src/fixtures/load.js';
import type { Fixtures } from '../src/fixtures/types.js';
import { FixtureError, validateFixtures } from '../src/fixtures/validate.js';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const TIMESTAMP = /^2026-0[1-8]-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

describe('bundled fixtures', () => {
  let fx: Fixtures;
  beforeAll(async () => {
    fx = await loadFixtures(defaultFixturesDir);
  });

  it('live in the package fixtures/ folder', () => {
    expect(defaultFixturesDir).toBe(join(import.meta.dirname, '..', 'fixtures'));
  });

  it('contain the three seed users', () => {
    expect(fx.users.map((u) => [u.handle, u.email, u.name, u.visibility])).toEqual([
      ['dev', 'dev@glossia.ai', 'Dev User', 'public'],
      ['alex', 'alex.chen@glossia.test', 'Alex Chen', 'private'],
      ['maria', 'maria.rossi@glossia.test', 'Maria Rossi', 'private'],
    ]);
    expect(fx.users.filter((u) => u.super_admin === true).map((u) => u.handle)).toEqual(['dev']);
  });

  it('contain acme and northwind with their members and pending invitations', () => {
    const byHandle = new Map(fx.organizations.map((o) => [o.handle, o]));
    expect([...byHandle.keys()]).toEqual(['acme', 'northwind']);
    const acme = byHandle.get('acme');
    const northwind = byHandle.get('northwind');
    expect(acme).toMatchObject({ name: 'Acme Industries', visibility: 'public' });
    expect(northwind).toMatchObject({ name: 'Northwind Traders', visibility: 'private' });
    expect(acme?.members.map((m) => [m.user, m.role])).toEqual([
      ['dev', 'admin'],
      ['alex', 'member'],
      ['maria', 'linguist'],
    ]);
    expect(northwind?.members.map((m) => [m.user, m.role])).toEqual([
      ['alex', 'admin'],
      ['dev', 'member'],
    ]);
    expect(acme?.invitations?.map((i) => [i.email, i.role, i.invited_by])).toEqual([['prospect@acme.test', 'member', 'dev']]);
    expect(northwind?.invitations?.map((i) => [i.email, i.role, i.invited_by])).toEqual([
      ['vendor@northwind.test', 'member', 'alex'],
    ]);
  });

  it('contain the seed projects', () => {
    const handles = (account: string) => fx.projects.filter((p) => p.account === account).map((p) => p.handle);
    expect(handles('dev')).toEqual(['marketing-site', 'docs', 'cli', 'blog', 'landing-page', 'glossia']);
    expect(handles('acme')).toEqual(['platform', 'mobile', 'acme-docs']);
    expect(handles('northwind')).toEqual(['catalog']);
    const glossia = fx.projects.find((p) => p.account === 'dev' && p.handle === 'glossia');
    expect(glossia).toMatchObject({
      name: 'Glossia',
      github_repo_full_name: 'glossia/glossia',
      setup_status: 'completed',
      setup_target_languages: ['es', 'fr', 'de', 'ja', 'zh-Hans', 'ko', 'pt-BR'],
      setup_pull_request_number: 92,
      setup_pull_request_url: 'https://github.com/glossia/glossia/pull/92',
      setup_pull_request_state: 'open',
    });
    expect(fx.projects.find((p) => p.handle === 'acme-docs')).toMatchObject({
      github_repo_full_name: 'acme-industries/docs',
      setup_target_languages: ['es', 'fr', 'de'],
    });
    expect(fx.projects.find((p) => p.handle === 'marketing-site')).toMatchObject({
      github_repo_full_name: null,
      setup_status: null,
    });
  });

  it('contain the voices', () => {
    const dev = fx.voices.find((v) => v.account === 'dev');
    expect(dev?.versions.map((v) => [v.version, v.tone, v.formality, v.target_audience])).toEqual([
      [1, 'casual', 'neutral', 'Developers evaluating Glossia'],
      [2, 'authoritative', 'formal', 'Engineering leaders and localization managers'],
    ]);
    const v2 = dev?.versions[1];
    expect(v2?.target_countries).toEqual(['US', 'DE', 'JP', 'ES']);
    expect(Object.keys(v2?.cultural_notes ?? {}).sort()).toEqual(['DE', 'ES', 'JP', 'US']);
    expect(v2?.description).toMatch(/^Glossia is a platform/);
    const acme = fx.voices.find((v) => v.account === 'acme');
    expect(acme?.versions[0]?.overrides).toEqual([
      {
        locale: 'es-MX',
        tone: 'authoritative',
        formality: 'formal',
        target_audience: null,
        guidelines: 'Usa un tono formal y directo. Evita anglicismos innecesarios.',
      },
    ]);
  });

  it('contain the glossaries', () => {
    const dev = fx.glossaries.find((g) => g.account === 'dev');
    expect(dev?.versions.map((v) => [v.version, v.change_note, v.entries.map((e) => e.term)])).toEqual([
      [1, 'Initial terminology', ['project', 'voice', 'terminology', 'API']],
      [2, 'Add French translations and account term', ['project', 'voice', 'terminology', 'API', 'account']],
    ]);
    const api = dev?.versions[0]?.entries.find((e) => e.term === 'API');
    expect(api).toMatchObject({ case_sensitive: true, definition: 'Application Programming Interface. Always uppercase.' });
    const project2 = dev?.versions[1]?.entries.find((e) => e.term === 'project');
    expect(project2?.translations.map((t) => t.locale)).toEqual(['es', 'ja', 'de', 'fr']);
    for (const version of dev?.versions ?? []) {
      for (const entry of version.entries) expect(entry.definition).toBeTruthy();
    }
    const acme = fx.glossaries.find((g) => g.account === 'acme');
    expect(acme?.versions[0]?.entries.find((e) => e.term === 'workspace')?.translations).toEqual([
      { locale: 'es-MX', translation: 'espacio de trabajo' },
      { locale: 'pt-BR', translation: 'espaço de trabalho' },
    ]);
  });

  it('contain the three OAuth clients', () => {
    expect(fx.clients.map((c) => [c.client_name, c.client_id])).toEqual([
      ['Glossia Mock Demo', '0b5e3d8c-7f2a-4c1e-9a6b-3d2f1e0c9b8a'],
      ['Glossia Mock SPA', '5f1c9a2e-3b4d-4e6f-8a7b-9c0d1e2f3a4b'],
      ['Glossia Mobile', '6b7a2d2b-5f2a-4a57-9ea5-31a4d5b0c5f9'],
    ]);
    const mobile = fx.clients[2];
    expect(mobile).toMatchObject({ client_secret: null, token_endpoint_auth_method: 'none', first_party: true, device_flow: true });
    expect(mobile?.redirect_uris).toHaveLength(7);
    expect(fx.clients[0]?.client_secret).toMatch(/^[A-Za-z0-9]{86}$/);
  });

  it('contain the LLM models of dev and acme, one default each', () => {
    const handles = (account: string) => fx.models.filter((m) => m.account === account).map((m) => m.handle);
    expect(handles('dev')).toEqual(['claude-sonnet', 'gpt-4o', 'local-codex', 'local-pi', 'local-claude', 'fast-drafts', 'long-form-guides']);
    expect(handles('acme')).toEqual(['acme-claude', 'acme-fast-drafts']);
    expect(fx.models.filter((m) => m.default).map((m) => [m.account, m.handle, m.model])).toEqual([
      ['dev', 'local-codex', 'openai/gpt-5.4'],
      ['acme', 'acme-claude', 'anthropic/claude-sonnet-5'],
    ]);
    expect(fx.models.find((m) => m.handle === 'claude-sonnet')?.model).toBe('anthropic/claude-sonnet-5');
    expect(fx.models.find((m) => m.handle === 'gpt-4o')?.model).toBe('openai/gpt-4o');
  });

  it('contain the CI Pipeline Token of dev, with a fixed plain value', () => {
    expect(fx.account_tokens).toEqual([
      {
        id: expect.stringMatching(UUID_V7),
        account: 'dev',
        user: 'dev',
        name: 'CI Pipeline Token',
        description: 'Used by GitHub Actions to push translations',
        token: 'glsa_5eedc1a0deadbeef0123456789abcdef01234567',
        scope: 'voice:read voice:write glossary:read glossary:write',
        expires_in_days: 90,
        inserted_at: expect.stringMatching(TIMESTAMP),
      },
    ]);
  });

  it('use UUID v7 ids and 2026 timestamps, versions in chronological order', async () => {
    const text = (await Promise.all(Object.values(fixtureFileNames).map((f) => readFile(join(defaultFixturesDir, f), 'utf8')))).join('\n');
    const ids = [...text.matchAll(/"id": "([^"]*)"/g)].map((m) => m[1]);
    expect(ids.length).toBeGreaterThan(20);
    for (const id of ids) expect(id).toMatch(UUID_V7);
    expect(new Set(ids).size).toBe(ids.length);
    const stamps = [...text.matchAll(/"(?:inserted_at|joined_at)": "([^"]*)"/g)].map((m) => m[1]);
    for (const ts of stamps) expect(ts).toMatch(TIMESTAMP);
  });

  it('is what validateFixtures returns for the same data (validation is idempotent)', () => {
    const raw = Object.fromEntries(
      Object.entries(fx).map(([key, data]) => [key, { file: key, data: structuredClone(data) }]),
    );
    expect(validateFixtures(raw as Parameters<typeof validateFixtures>[0])).toEqual(fx);
  });
});

// ---------------------------------------------------------------------------------------------

describe('broken fixtures', () => {
  const dirs: string[] = [];
  let good: Fixtures;

  beforeAll(async () => {
    good = await loadFixtures(defaultFixturesDir);
  });
  afterAll(async () => {
    await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  });

  /** Writes the bundled fixtures, changed by `mutate`, to a fresh temp dir. */
  async function fixturesDir(mutate: (fx: Fixtures) => void = () => {}): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), 'glossia-fixtures-'));
    dirs.push(dir);
    const fx = structuredClone(good);
    mutate(fx);
    await Promise.all(
      (Object.keys(fixtureFileNames) as (keyof Fixtures)[]).map((key) =>
        writeFile(join(dir, fixtureFileNames[key]), JSON.stringify(fx[key], null, 2)),
      ),
    );
    return dir;
  }

  async function loadError(dir: string): Promise<FixtureError> {
    const err: unknown = await loadFixtures(dir).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(FixtureError);
    if (!(err instanceof FixtureError)) throw new Error('expected a FixtureError');
    return err;
  }

  /** Expects loading to fail on `file` at `field` with a message that contains `reason`. */
  async function expectError(dir: string, file: string, field: string | null, reason: string | RegExp) {
    const err = await loadError(dir);
    const path = join(dir, file);
    expect(err.file).toBe(path);
    expect(err.field).toBe(field);
    expect(err.message.startsWith(field === null ? `${path}: ` : `${path}: ${field}: `)).toBe(true);
    expect(err.reason).toMatch(reason);
    return err;
  }

  it('accepts the unchanged copy', async () => {
    await expect(loadFixtures(await fixturesDir())).resolves.toEqual(good);
  });

  it('rejects a missing file', async () => {
    const dir = await fixturesDir();
    await unlink(join(dir, 'voices.json'));
    const err = await expectError(dir, 'voices.json', null, 'not found');
    expect(err.message).toBe(`${join(dir, 'voices.json')}: not found`);
  });

  it('names the file relative to the directory as given', async () => {
    const dir = await fixturesDir();
    await unlink(join(dir, 'users.json'));
    const rel = relative(process.cwd(), dir);
    const err = await loadError(rel);
    expect(err.message).toBe(`${join(rel, 'users.json')}: not found`);
  });

  it('reports the first file in a fixed order when several are broken', async () => {
    const dir = await fixturesDir();
    await unlink(join(dir, 'clients.json'));
    await writeFile(join(dir, 'organizations.json'), '{');
    await expectError(dir, 'organizations.json', null, /^invalid JSON: /);
  });

  it('rejects invalid JSON', async () => {
    const dir = await fixturesDir();
    await writeFile(join(dir, 'projects.json'), '[{"id": "x",}]');
    await expectError(dir, 'projects.json', null, /^invalid JSON: .+/);
  });

  it('rejects a file that is not an array', async () => {
    const dir = await fixturesDir();
    await writeFile(join(dir, 'clients.json'), '{"clients": []}');
    await expectError(dir, 'clients.json', null, 'must be a JSON array (got an object)');
  });

  it('rejects a bad e-mail address', async () => {
    const dir = await fixturesDir((fx) => {
      fx.users[1]!.email = 'alex.chen.glossia.test';
    });
    const err = await expectError(dir, 'users.json', '[1].email', 'must be an e-mail address (contain "@")');
    expect(err.message).toBe(`${join(dir, 'users.json')}: [1].email: must be an e-mail address (contain "@")`);
  });

  it('rejects a missing required field', async () => {
    const dir = await fixturesDir((fx) => {
      delete (fx.users[2] as Partial<Fixtures['users'][number]>).inserted_at;
    });
    await expectError(dir, 'users.json', '[2].inserted_at', 'is required');
  });

  it('rejects a bad uuid', async () => {
    const dir = await fixturesDir((fx) => {
      fx.projects[3]!.id = '0b5e3d8c-7f2a-4c1e-9a6b-3d2f1e0c9b8a'; // a v4
    });
    await expectError(dir, 'projects.json', '[3].id', /UUID v7/);
  });

  it('rejects a bad uuid nested in a glossary entry', async () => {
    const dir = await fixturesDir((fx) => {
      fx.glossaries[0]!.versions[1]!.entries[2]!.id = 'not-a-uuid';
    });
    await expectError(dir, 'glossaries.json', '[0].versions[1].entries[2].id', /UUID v7/);
  });

  it('rejects a bad timestamp', async () => {
    const dir = await fixturesDir((fx) => {
      fx.organizations[0]!.members[1]!.joined_at = '2026-02-30T10:00:00.000000Z';
    });
    await expectError(dir, 'organizations.json', '[0].members[1].joined_at', /ISO-8601/);
  });

  it('rejects a duplicate user handle', async () => {
    const dir = await fixturesDir((fx) => {
      fx.users[2]!.handle = 'alex';
    });
    await expectError(dir, 'users.json', '[2].handle', 'duplicate handle "alex" (already used at [1].handle)');
  });

  it('rejects an organization handle that collides with a user handle', async () => {
    const dir = await fixturesDir((fx) => {
      fx.organizations[1]!.handle = 'maria';
    });
    await expectError(dir, 'organizations.json', '[1].handle', /already a user's handle/);
  });

  it('rejects an invalid handle', async () => {
    const dir = await fixturesDir((fx) => {
      fx.organizations[0]!.handle = 'acme-';
    });
    await expectError(dir, 'organizations.json', '[0].handle', /must start with a letter/);
  });

  it('rejects a membership naming an unknown user', async () => {
    const dir = await fixturesDir((fx) => {
      fx.organizations[1]!.members[1]!.user = 'bob';
    });
    await expectError(dir, 'organizations.json', '[1].members[1].user', 'unknown user "bob"');
  });

  it('rejects an invitation by an unknown user', async () => {
    const dir = await fixturesDir((fx) => {
      fx.organizations[0]!.invitations![0]!.invited_by = 'ghost';
    });
    await expectError(dir, 'organizations.json', '[0].invitations[0].invited_by', 'unknown user "ghost"');
  });

  it('rejects a project on an unknown account', async () => {
    const dir = await fixturesDir((fx) => {
      fx.projects[9]!.account = 'southwind';
    });
    await expectError(dir, 'projects.json', '[9].account', 'unknown account "southwind"');
  });

  it('rejects a duplicate project handle in one account', async () => {
    const dir = await fixturesDir((fx) => {
      fx.projects[2]!.handle = 'docs';
    });
    await expectError(dir, 'projects.json', '[2].handle', 'duplicate project handle "docs" in account "dev" (already used at [1])');
  });

  it('allows the same project handle in different accounts', async () => {
    const dir = await fixturesDir((fx) => {
      fx.projects[9]!.handle = 'docs';
    });
    await expect(loadFixtures(dir)).resolves.toBeDefined();
  });

  it('rejects a duplicate version number', async () => {
    const dir = await fixturesDir((fx) => {
      fx.voices[0]!.versions[1]!.version = 1;
    });
    await expectError(dir, 'voices.json', '[0].versions[1].version', 'duplicate version 1');
  });

  it('rejects a bad override locale', async () => {
    const dir = await fixturesDir((fx) => {
      fx.voices[1]!.versions[0]!.overrides[0]!.locale = 'es_MX';
    });
    await expectError(dir, 'voices.json', '[1].versions[0].overrides[0].locale', /valid locale/);
  });

  it('rejects a glossary created by an unknown user', async () => {
    const dir = await fixturesDir((fx) => {
      fx.glossaries[1]!.versions[0]!.created_by = 'nobody';
    });
    await expectError(dir, 'glossaries.json', '[1].versions[0].created_by', 'unknown user "nobody"');
  });

  it('rejects a client with a fragment in a redirect URI', async () => {
    const dir = await fixturesDir((fx) => {
      fx.clients[0]!.redirect_uris[2] = 'http://127.0.0.1:3000/callback#done';
    });
    await expectError(dir, 'clients.json', '[0].redirect_uris[2]', /fragment/);
  });

  it('rejects a relative redirect URI', async () => {
    const dir = await fixturesDir((fx) => {
      fx.clients[1]!.redirect_uris[0] = '/callback';
    });
    await expectError(dir, 'clients.json', '[1].redirect_uris[0]', /absolute URI/);
  });

  it('rejects a client with auth method none and a secret', async () => {
    const dir = await fixturesDir((fx) => {
      fx.clients[1]!.client_secret = 'x'.repeat(86);
    });
    await expectError(dir, 'clients.json', '[1].token_endpoint_auth_method', /client_secret/);
  });

  it('rejects a confidential auth method without a secret', async () => {
    const dir = await fixturesDir((fx) => {
      fx.clients[0]!.client_secret = null;
    });
    await expectError(dir, 'clients.json', '[0].token_endpoint_auth_method', 'must be "none" when client_secret is null');
  });

  it('rejects an unknown grant type', async () => {
    const dir = await fixturesDir((fx) => {
      fx.clients[0]!.grant_types.push('magic_link');
    });
    await expectError(dir, 'clients.json', '[0].grant_types[4]', /must be one of/);
  });

  it('rejects a duplicate client id', async () => {
    const dir = await fixturesDir((fx) => {
      fx.clients[2]!.client_id = fx.clients[0]!.client_id;
    });
    await expectError(dir, 'clients.json', '[2].client_id', /duplicate client_id/);
  });

  it('loads a folder without the optional models.json and account_tokens.json (no models, no tokens)', async () => {
    const dir = await fixturesDir();
    await unlink(join(dir, 'models.json'));
    await unlink(join(dir, 'account_tokens.json'));
    await expect(loadFixtures(dir)).resolves.toEqual({ ...good, models: [], account_tokens: [] });
  });

  it('still reports a broken optional file, naming it', async () => {
    const dir = await fixturesDir();
    await writeFile(join(dir, 'models.json'), '{');
    await expectError(dir, 'models.json', null, /^invalid JSON: /);
    await writeFile(join(dir, 'models.json'), '{"models": []}');
    await expectError(dir, 'models.json', null, 'must be a JSON array (got an object)');
  });

  it('rejects bad model fields, naming file and field', async () => {
    const cases: [mutate: (fx: Fixtures) => void, field: string, reason: string | RegExp][] = [
      [(fx) => void (fx.models[1]!.handle = 'GPT_4o'), '[1].handle', 'must start with a lowercase letter and contain only lowercase letters, numbers, and hyphens'],
      [(fx) => void (fx.models[1]!.handle = '4o'), '[1].handle', /lowercase letter/],
      [(fx) => void (fx.models[1]!.handle = 'x'), '[1].handle', 'must be 2-64 characters long (got 1)'],
      [(fx) => void (fx.models[1]!.handle = 'a'.repeat(65)), '[1].handle', 'must be 2-64 characters long (got 65)'],
      [(fx) => void (fx.models[2]!.model = 'gpt-5.4'), '[2].model', 'must be "provider/model", like "anthropic/claude-sonnet-5"'],
      [(fx) => void (fx.models[0]!.api_key = ' '), '[0].api_key', 'must not be empty'],
      [(fx) => void delete (fx.models[0] as Partial<Fixtures['models'][number]>).api_key, '[0].api_key', 'is required'],
      [(fx) => void (fx.models[3]!.base_url = 'localhost:8788'), '[3].base_url', 'must be an absolute http:// or https:// URL'],
      [(fx) => void delete (fx.models[3] as Partial<Fixtures['models'][number]>).base_url, '[3].base_url', 'is required (use null for "none")'],
      [(fx) => void ((fx.models[0] as { default: unknown }).default = 'yes'), '[0].default', /must be true or false/],
      [(fx) => void (fx.models[0]!.account = 'nobody'), '[0].account', 'unknown account "nobody"'],
      [(fx) => void (fx.models[0]!.created_by = 'nobody'), '[0].created_by', 'unknown user "nobody"'],
      [(fx) => void (fx.models[1]!.handle = 'claude-sonnet'), '[1].handle', /duplicate model handle "claude-sonnet" in account "dev"/],
      [(fx) => void (fx.models[0]!.default = true), '[2].default', /duplicate default model for account "dev" \(already used at \[0\]\)/],
      [(fx) => void (fx.models[0]!.id = fx.projects[0]!.id), '[0].id', /duplicate id/],
    ];
    for (const [mutate, field, reason] of cases) await expectError(await fixturesDir(mutate), 'models.json', field, reason);
    // The same handle in another account is fine.
    await expect(loadFixtures(await fixturesDir((fx) => void (fx.models[8]!.handle = 'gpt-4o')))).resolves.toBeDefined();
  });

  it('rejects bad account tokens, naming file and field', async () => {
    const copy = (fx: Fixtures) => structuredClone(fx.account_tokens[0]!);
    const cases: [mutate: (fx: Fixtures) => void, field: string, reason: string | RegExp][] = [
      [(fx) => void (fx.account_tokens[0]!.token = 'glsa_5EEDC1A0DEADBEEF0123456789ABCDEF01234567'), '[0].token', 'must be "glsa_" followed by 40 lower-case hex characters'],
      [(fx) => void (fx.account_tokens[0]!.token = 'glsa_abc'), '[0].token', /40 lower-case hex/],
      [(fx) => void (fx.account_tokens[0]!.name = ''), '[0].name', 'must not be empty'],
      [(fx) => void (fx.account_tokens[0]!.account = 'nobody'), '[0].account', 'unknown account "nobody"'],
      [(fx) => void (fx.account_tokens[0]!.user = 'nobody'), '[0].user', 'unknown user "nobody"'],
      [(fx) => void (fx.account_tokens[0]!.user = 'alex'), '[0].user', '"alex" is not an admin of account "dev" (only an admin can create its tokens)'],
      [(fx) => void Object.assign(fx.account_tokens[0]!, { account: 'acme', user: 'maria' }), '[0].user', /not an admin of account "acme"/],
      [(fx) => void (fx.account_tokens[0]!.expires_in_days = 0), '[0].expires_in_days', /positive integer/],
      [(fx) => void fx.account_tokens.push({ ...copy(fx), id: '019c46ac-230b-76c9-bfcf-6826f3451674' }), '[1].token', /^duplicate token value \(glsa_5eedc1a…\) \(already used at \[0\]\.token\)$/],
    ];
    for (const [mutate, field, reason] of cases) await expectError(await fixturesDir(mutate), 'account_tokens.json', field, reason);
    // An admin of an organization may hold one of its tokens; one that never expires is fine.
    const ok = await loadFixtures(
      await fixturesDir((fx) => void fx.account_tokens.push({ ...copy(fx), id: '019c46ac-230b-76c9-bfcf-6826f3451675', account: 'northwind', user: 'alex', token: `glsa_${'1'.repeat(40)}`, expires_in_days: null })),
    );
    expect(ok.account_tokens.map((x) => [x.account, x.user])).toEqual([['dev', 'dev'], ['northwind', 'alex']]);
  });

  it('ignores unknown keys', async () => {
    const dir = await fixturesDir((fx) => {
      Object.assign(fx.users[0]!, { avatar_url: 'https://example.com/a.png' });
    });
    const loaded = await loadFixtures(dir);
    expect(loaded.users[0]).not.toHaveProperty('avatar_url');
  });
});
