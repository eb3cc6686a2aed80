// The control panel at GET /_mock over HTTP: the page, every form action (CSRF-protected, 303 back
// with a fixed notice), invalid input, and the control API's guard.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Browser, csrfToken } from './helpers/browser-session.js';
import { startTestMock, type TestMock } from './helpers/mock.js';

let m: TestMock;
beforeAll(async () => {
  // One rate limit on, so the panel has windows to show and reset.
  m = await startTestMock({ rateLimits: { well_known: { limit: 1000, window: 60 } } });
});
afterAll(async () => {
  await m.close();
  expect(m.logs).toEqual([]);
});
beforeEach(async () => {
  const res = await fetch(`${m.url}/_mock/reset`, { method: 'POST' });
  expect(res.status).toBe(200);
});

/** A browser on the panel: its cookie jar and the CSRF token of the page it last loaded. */
async function openPanel(query = ''): Promise<{ b: Browser; html: string; token: string }> {
  const b = new Browser(m.url);
  const res = await b.get(`/_mock${query}`);
  expect(res.status).toBe(200);
  const html = await res.text();
  return { b, html, token: csrfToken(html) };
}

const submit = (b: Browser, path: string, token: string | null, fields: Record<string, string> = {}) =>
  b.post(`/_mock/panel/${path}`, [...(token === null ? [] : [['_csrf', token] as [string, string]]), ...Object.entries(fields)]);

/** After a successful action: 303 to the panel with the notice key, and the page shows its message. */
async function expectDone(b: Browser, res: Response, done: string, message: string | RegExp): Promise<string> {
  expect(res.status, await res.clone().text()).toBe(303);
  const location = res.headers.get('location')!;
  expect(location).toMatch(new RegExp(`^/_mock\\?done=${done}#[a-z-]+$`));
  const page = await b.get(location);
  const html = await page.text();
  const notice = /<div class="notice ok" role="status"><p>([^<]*)<\/p><\/div>/.exec(html);
  expect(notice?.[1]).toMatch(message);
  return html;
}

const decode = (s: string) => s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/** The page's alert text (the one error shown after invalid input), decoded. */
function alertOf(html: string): string | undefined {
  const found = [...html.matchAll(/<div class="alert" role="alert"><p>([^<]*)<\/p><\/div>/g)];
  expect(found.length).toBeLessThanOrEqual(1);
  return found[0] && decode(found[0][1]!);
}

const rules = async () => (await (await fetch(`${m.url}/_mock/faults`)).json()).faults as { id: string; fired: number }[];
const clock = async () => (await (await fetch(`${m.url}/_mock/clock`)).json()) as { offset: number };
const addJsonRule = async (rule: object) =>
  (await (await fetch(`${m.url}/_mock/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(rule) })).json()) as {
    id: string;
  };

describe('GET /_mock', () => {
  it('renders the summary, the fault rules with fired counts and the journal', async () => {
    const rule = await addJsonRule({ endpoint: 'discovery', status: 503, times: 2 });
    expect((await fetch(`${m.url}/.well-known/oauth-authorization-server`)).status).toBe(503);
    expect((await fetch(`${m.url}/.well-known/oauth-authorization-server`)).status).toBe(503);
    expect((await fetch(`${m.url}/.well-known/oauth-authorization-server`)).status).toBe(200);

    const res = await fetch(`${m.url}/_mock`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(res.headers.get('cache-control')).toBe('no-store');
    const html = await res.text();
    expect(html.match(/<h1\b/g)).toHaveLength(1);
    expect(html).toContain('<h1>Control panel</h1>');
    expect(html).toContain(`<code>${m.issuer}</code>`);
    expect(html).toContain('<dd>documented</dd>');
    expect(html).toContain('<dd>memory</dd>');
    expect(html).toContain('(machine time)');

    // The rule: endpoint, what, how often, fired 2 of 2.
    const row = /<tr id="fault-[^"]+">\s*<th scope="row"><code>discovery<\/code><\/th>[\s\S]*?<\/tr>/.exec(html)?.[0];
    expect(row).toBeDefined();
    expect(row).toContain('HTTP 503');
    expect(row).toContain('<td>2 times <span class="pill">used up</span></td>');
    expect(row).toContain('<td>2</td>');
    expect(row).toContain(`name="id" value="${rule.id}"`);

    // The journal: newest first, the fault that fired, and no entries for the panel itself.
    const journal = html.slice(html.indexOf('id="journal"'));
    const paths = [...journal.matchAll(/<th scope="row"><code>([^<]*)<\/code><\/th>\s*<td><span class="([^"]*)">(\d+)<\/span>/g)].map((x) => [x[1], x[3]]);
    expect(paths).toEqual([
      ['/.well-known/oauth-authorization-server', '200'],
      ['/.well-known/oauth-authorization-server', '503'],
      ['/.well-known/oauth-authorization-server', '503'],
    ]);
    // The fault that fired links to its rule's row.
    expect(html).toContain(`<tr id="fault-${rule.id}">`);
    expect(journal.split(`<a href="#fault-${rule.id}" aria-label="Rule ${rule.id.slice(0, 8)}"><code>${rule.id.slice(0, 8)}</code></a>`)).toHaveLength(3);
    expect((await (await fetch(`${m.url}/_mock/requests`)).json()).requests.some((e: { path: string }) => e.path.startsWith('/_mock'))).toBe(false);

    // The rate-limit window (a fired fault answers before the limiter counts, so one request).
    expect(html).toMatch(/<th scope="row"><code>well_known:ip:[^<]+<\/code><\/th><td>1 \/ 1000<\/td><td>999<\/td>/);
  });

  it('filters the journal by flow, linked from each entry', async () => {
    const mint = async (user: string) =>
      (await (await fetch(`${m.url}/_mock/tokens`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user, scope: 'project:read' }) })).json()) as {
        access_token: string;
      };
    const [alex, maria] = [await mint('alex'), await mint('maria')];
    for (const t of [alex, maria, alex]) await fetch(`${m.url}/api/projects`, { headers: { authorization: `Bearer ${t.access_token}` } });
    const flows = (await (await fetch(`${m.url}/_mock/requests?user=alex`)).json()).requests.map((e: { flow: string }) => e.flow);
    expect(new Set(flows).size).toBe(1);
    const flow = flows[0] as string;

    const all = await (await fetch(`${m.url}/_mock`)).text();
    expect(all).toContain(`href="/_mock?flow=${flow}#journal"`);
    const only = await (await fetch(`${m.url}/_mock?flow=${flow}`)).text();
    const journal = only.slice(only.indexOf('id="journal"'));
    expect(journal).toContain(`Showing the requests of flow <code>${flow}</code> only.`);
    expect(journal.match(/<td>alex<\/td>/g)).toHaveLength(2);
    expect(journal).not.toContain('<td>maria</td>');
    // An unknown flow: an empty table, the value escaped.
    const none = await (await fetch(`${m.url}/_mock?flow=${encodeURIComponent('<b>x')}`)).text();
    expect(none).toContain('No requests in this flow.');
    expect(none).toContain('<code>&lt;b&gt;x</code>');
    expect(none).not.toContain('<b>x');
  });

  it('shows only the fixed message of a known ?done= key, never the parameter itself', async () => {
    const known = await (await fetch(`${m.url}/_mock?done=rule-added`)).text();
    expect(known).toContain('<div class="notice ok" role="status"><p>Fault rule added.');
    for (const done of ['<script>alert(1)</script>', 'constructor', '__proto__', 'toString']) {
      const html = await (await fetch(`${m.url}/_mock?done=${encodeURIComponent(done)}`)).text();
      expect(html).not.toContain('role="status"');
      expect(html).not.toContain('<script>');
    }
  });

  it('is linked from the home page', async () => {
    expect(await (await fetch(`${m.url}/`)).text()).toContain('<a href="/_mock">Control panel</a>');
  });
});

describe('form actions', () => {
  it('every action is refused with 403 without the CSRF token, or with another session’s, and changes nothing', async () => {
    const { b, token } = await openPanel();
    const other = await openPanel();
    const rule = await addJsonRule({ endpoint: 'token', error: 'invalid_grant' });
    const actions: [string, Record<string, string>][] = [
      ['faults', { endpoint: 'authorize', error: 'access_denied', times: 'once' }],
      ['faults/preset', { preset: 'deny-authorize' }],
      ['faults/remove', { id: rule.id }],
      ['faults/clear', {}],
      ['clock', { seconds: '3600' }],
      ['clock/reset', {}],
      ['expire', { kind: 'access_token', value: 'x' }],
      ['rate-limits/reset', {}],
      ['reset', { confirm: 'yes' }],
    ];
    for (const [path, fields] of actions) {
      for (const given of [null, 'forged', other.token]) {
        const res = await submit(b, path, given, fields);
        expect(res.status, `${path} with ${given}`).toBe(403);
        const html = await res.text();
        expect(alertOf(html)).toMatch(/^This form has expired or did not come from this page/);
        expect(html).toContain('<h1>Control panel</h1>');
      }
    }
    expect((await rules()).map((r) => r.id)).toEqual([rule.id]);
    expect((await clock()).offset).toBe(0);
    // The same forms work with the page's own token.
    expect((await submit(b, 'faults/clear', token)).status).toBe(303);
    expect(await rules()).toEqual([]);
  });

  it('adds a fault rule from the form; it fires like one added over the JSON API', async () => {
    const { b, token } = await openPanel();
    const res = await submit(b, 'faults', token, {
      endpoint: 'token',
      error: 'invalid_grant',
      status: '',
      delay_ms: '',
      times: 'count',
      times_count: '3',
      client_id: 'some-client',
      user: '',
      grant_type: 'refresh_token',
      path: '',
      probability: '0.5',
      seed: '7',
    });
    const html = await expectDone(b, res, 'rule-added', /^Fault rule added\./);
    expect(res.headers.get('location')).toBe('/_mock?done=rule-added#faults');
    const [rule] = (await (await fetch(`${m.url}/_mock/faults`)).json()).faults;
    expect(rule).toMatchObject({ endpoint: 'token', error: 'invalid_grant', times: 3, client_id: 'some-client', grant_type: 'refresh_token', probability: 0.5, seed: 7, fired: 0 });
    expect(rule).not.toHaveProperty('status');
    expect(rule).not.toHaveProperty('user');
    expect(html).toContain('<li><code>client_id=some-client</code></li><li><code>grant_type=refresh_token</code></li>');
    expect(html).toContain('<td>3 times, with probability 0.5 (seed 7)</td>');

    // Until cleared, a status and a delay, an API path.
    const sticky = await submit(b, 'faults', token, { endpoint: 'api', status: '503', delay_ms: '10', times: 'sticky', path: '/api/*/projects' });
    expect(sticky.status).toBe(303);
    const added = (await rules()).at(-1);
    expect(added).toMatchObject({ endpoint: 'api', status: 503, delay_ms: 10, path: '/api/*/projects' });
    expect(added).not.toHaveProperty('times');
  });

  it('invalid rule input re-renders the form with an error, keeps what was typed, and adds nothing', async () => {
    const { b, token } = await openPanel();
    const cases: [Record<string, string>, RegExp][] = [
      [{ endpoint: 'token', times: 'once' }, /^A fault rule needs “Error code”, “HTTP status”, “Delay” or “Drop the connection”\.$/],
      [{ endpoint: 'token', status: 'abc', times: 'once' }, /^“HTTP status” must be a whole number from 400 to 599\.$/],
      [{ endpoint: 'token', status: '200', times: 'once' }, /^“HTTP status” must be a whole number from 400 to 599\.$/],
      [{ endpoint: 'token', error: 'invalid_grant', times: 'count', times_count: '' }, /^“Number of times” must be a whole number from 1 to 1000000\.$/],
      [{ endpoint: 'token', error: 'invalid_grant', times: 'count', times_count: '0' }, /^“Number of times” must be/],
      [{ endpoint: 'token', error: 'invalid_grant', times: 'bogus' }, /^“Number of times” must be/],
      [{ endpoint: 'token', error: 'invalid_grant', probability: '2', times: 'once' }, /^“Probability” must be a number above 0 and at most 1\.$/],
      [{ endpoint: 'token', error: 'invalid_grant', path: '/api/x', times: 'once' }, /^“Only for API path” applies to endpoint "api"/],
      [{ endpoint: 'token', error: 'invalid_grant', drop: 'yes', times: 'once' }, /^“Drop the connection” cannot be combined with “Error code” or “HTTP status”\.$/],
      [{ endpoint: 'token', error: 'Not A Code', times: 'once' }, /^“Error code” must be an error code/],
      [{ endpoint: 'nowhere', error: 'invalid_grant', times: 'once' }, /^“Endpoint” must be one of: register, authorize/],
      [{ times: 'once' }, /^“Endpoint” must be one of/],
    ];
    for (const [fields, message] of cases) {
      const res = await submit(b, 'faults', token, fields);
      expect(res.status, JSON.stringify(fields)).toBe(422);
      const html = await res.text();
      expect(alertOf(html), JSON.stringify(fields)).toMatch(message);
      // The alert sits in the add-rule form's section, which the form's action URL scrolls to.
      expect(html.indexOf('role="alert"')).toBeGreaterThan(html.indexOf('id="add-rule"'));
    }
    expect(await rules()).toEqual([]);

    // What was typed comes back, escaped; nothing from it is rendered as markup.
    const evil = '"><script>alert(1)</script>';
    const res = await submit(b, 'faults', token, { endpoint: 'api', status: 'abc', times: 'count', times_count: '4', client_id: evil, path: '/api/*/x' });
    const html = await res.text();
    expect(res.status).toBe(422);
    expect(html).not.toContain('<script>');
    expect(html).toContain('id="rule-client" name="client_id" value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"');
    expect(html).toContain('name="status" value="abc"');
    expect(html).toContain('name="path" value="/api/*/x"');
    expect(html).toMatch(/<option value="api" selected>/);
    expect(html).toMatch(/id="rule-count" name="times" value="count" checked>/);
    expect(html).toContain('name="times_count" value="4"');
    expect(await rules()).toEqual([]);
  });

  it('quick faults add the classic rules', async () => {
    const { b, token } = await openPanel();
    await expectDone(b, await submit(b, 'faults/preset', token, { preset: 'deny-authorize' }), 'deny-authorize', /access_denied/);
    await expectDone(b, await submit(b, 'faults/preset', token, { preset: 'fail-refresh' }), 'fail-refresh', /refresh_token grant will fail with invalid_grant/);
    await expectDone(b, await submit(b, 'faults/preset', token, { preset: 'expire-code' }), 'expire-code', /expired code/);
    await expectDone(b, await submit(b, 'faults/preset', token, { preset: 'fail-translate' }), 'fail-translate', /translate will fail with 502/);
    await expectDone(b, await submit(b, 'faults/preset', token, { preset: 'rate-limit-api' }), 'rate-limit-api', /429/);
    const specs = (await (await fetch(`${m.url}/_mock/faults`)).json()).faults.map(({ id, fired, created_at, ...spec }: Record<string, unknown>) => spec);
    expect(specs).toEqual([
      { endpoint: 'authorize', error: 'access_denied', times: 1 },
      { endpoint: 'token', grant_type: 'refresh_token', error: 'invalid_grant', times: 1 },
      { endpoint: 'token', grant_type: 'authorization_code', error: 'invalid_grant', times: 1 },
      { endpoint: 'api', path: '/api/*/translate', status: 502, times: 1 },
      { endpoint: 'api', status: 429 },
    ]);
    const api = await fetch(`${m.url}/api/projects`);
    expect(api.status).toBe(429);

    const unknown = await submit(b, 'faults/preset', token, { preset: 'nope' });
    expect(unknown.status).toBe(422);
    expect(alertOf(await unknown.text())).toBe('Choose one of the quick faults.');
    expect(await rules()).toHaveLength(5);
  });

  it('removes one rule, and clears them all', async () => {
    const { b, token } = await openPanel();
    const [one, two] = [await addJsonRule({ endpoint: 'token', error: 'invalid_grant' }), await addJsonRule({ endpoint: 'api', status: 500 })];
    await expectDone(b, await submit(b, 'faults/remove', token, { id: one.id }), 'rule-removed', 'Fault rule removed.');
    expect((await rules()).map((r) => r.id)).toEqual([two.id]);
    const again = await submit(b, 'faults/remove', token, { id: one.id });
    expect(again.status).toBe(404);
    expect(alertOf(await again.text())).toMatch(/^That rule no longer exists/);
    await expectDone(b, await submit(b, 'faults/clear', token), 'rules-cleared', /^All fault rules cleared/);
    expect(await rules()).toEqual([]);
  });

  it('moves the clock by a number of seconds or a quick step, rejects anything else, and goes back to machine time', async () => {
    const { b, token } = await openPanel();
    const html = await expectDone(b, await submit(b, 'clock', token, { seconds: '3600' }), 'clock-advanced', /^Clock moved\./);
    expect((await clock()).offset).toBe(3600);
    expect(html).toContain('<span class="pill warn">+1 h</span>');
    // A quick button wins over whatever is in the number field.
    await expectDone(b, await submit(b, 'clock', token, { seconds: '', quick: '86400' }), 'clock-advanced', /^Clock moved\./);
    expect((await clock()).offset).toBe(90_000);
    await expectDone(b, await submit(b, 'clock', token, { seconds: '-60' }), 'clock-advanced', /^Clock moved\./);
    const later = await (await b.get('/_mock')).text();
    expect(later).toContain('<span class="pill warn">+1 d 59 min</span>');

    for (const seconds of ['', 'abc', '1.5', '1e3', String(11 * 365 * 86_400)]) {
      const res = await submit(b, 'clock', token, { seconds });
      expect(res.status, seconds).toBe(422);
      const page = await res.text();
      expect(alertOf(page)).toMatch(/^Enter a whole number of seconds/);
    }
    expect((await clock()).offset).toBe(89_940);

    await expectDone(b, await submit(b, 'clock/reset', token), 'clock-reset', /^Clock back to this machine/);
    expect((await clock()).offset).toBe(0);
  });

  it('expires a token the mock issued; an unknown one is an error', async () => {
    const { b, token } = await openPanel();
    const t = await (
      await fetch(`${m.url}/_mock/tokens`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user: 'dev', scope: 'project:read' }) })
    ).json();
    const api = () => fetch(`${m.url}/api/projects`, { headers: { authorization: `Bearer ${t.access_token}` } });
    expect((await api()).status).toBe(200);
    await expectDone(b, await submit(b, 'expire', token, { kind: 'access_token', value: ` ${t.access_token} ` }), 'credential-expired', /^Expired/);
    expect((await api()).status).toBe(401);

    const unknown = await submit(b, 'expire', token, { kind: 'refresh_token', value: 'not-a-token' });
    expect(unknown.status).toBe(422);
    const html = await unknown.text();
    expect(alertOf(html)).toBe('This mock issued no such refresh token.');
    expect(html).toMatch(/<option value="refresh_token" selected>/);
    expect(html).not.toContain('not-a-token');
    for (const [fields, message] of [
      [{ kind: 'password', value: 'x' }, 'Choose what kind of credential to expire.'],
      [{ kind: 'code', value: '  ' }, 'Paste the authorization code to expire.'],
    ] as const) {
      const res = await submit(b, 'expire', token, fields);
      expect(res.status).toBe(422);
      expect(alertOf(await res.text())).toBe(message);
    }
  });

  it('resets the rate-limit windows', async () => {
    await fetch(`${m.url}/.well-known/oauth-authorization-server`);
    const counters = async () => (await (await fetch(`${m.url}/_mock/rate-limits`)).json()).counters as unknown[];
    expect(await counters()).toHaveLength(1);
    const { b, token } = await openPanel();
    const html = await expectDone(b, await submit(b, 'rate-limits/reset', token), 'limits-reset', /^Rate-limit windows reset/);
    expect(await counters()).toEqual([]);
    expect(html).toContain('No requests counted in the current windows.');
  });

  it('resets to the fixtures only when confirmed', async () => {
    const { b, token } = await openPanel();
    await addJsonRule({ endpoint: 'token', error: 'invalid_grant' });
    await fetch(`${m.url}/_mock/clock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"advance":60}' });

    const unconfirmed = await submit(b, 'reset', token);
    expect(unconfirmed.status).toBe(422);
    expect(alertOf(await unconfirmed.text())).toMatch(/^Tick the box to confirm/);
    expect(await rules()).toHaveLength(1);

    const html = await expectDone(b, await submit(b, 'reset', token, { confirm: 'yes' }), 'reset', /^Back to the fixtures/);
    expect(await rules()).toEqual([]);
    expect((await clock()).offset).toBe(0);
    expect(html).toContain('No fault rules: every request gets its normal answer.');
  });
});

describe('the guard', () => {
  it('with a control token, the page and its forms need it', async () => {
    const guarded = await startTestMock({ controlToken: 'panel-secret' });
    try {
      const bare = await fetch(`${guarded.url}/_mock`);
      expect(bare.status).toBe(401);
      expect(bare.headers.get('www-authenticate')).toContain('Bearer');
      expect((await fetch(`${guarded.url}/_mock`, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);

      const b = new Browser(guarded.url);
      const auth = { authorization: 'Bearer panel-secret' };
      const page = await b.request('/_mock', { headers: auth });
      expect(page.status).toBe(200);
      const token = csrfToken(await page.text());
      const form = (headers: Record<string, string>) =>
        b.request('/_mock/panel/faults/preset', {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
          body: new URLSearchParams({ _csrf: token, preset: 'deny-authorize' }),
        });
      expect((await form({})).status).toBe(401);
      expect(guarded.mock.faults.list()).toEqual([]);
      expect((await form(auth)).status).toBe(303);
      expect(guarded.mock.faults.list()).toHaveLength(1);
    } finally {
      await guarded.close();
    }
    expect(guarded.logs).toEqual([]);
  });
});
