import { describe, it, expect } from 'vitest';
import { escapeHtml, html, raw } from '../src/ui/html.js';
import { stylesheet } from '../src/ui/styles.js';
import { page } from '../src/ui/layout.js';
import { loginPage, type LoginUser } from '../src/ui/pages/login.js';
import { consentPage, type ConsentScope } from '../src/ui/pages/consent.js';
import { errorPage } from '../src/ui/pages/error.js';
import { homePage } from '../src/ui/pages/home.js';

const EVIL = '<script>alert(1)</script>';

const users: LoginUser[] = [
  { handle: 'ada', name: 'Ada Lovelace', email: 'ada@example.com' },
  { handle: 'grace', name: 'Grace Hopper', email: 'grace@example.com' },
  { handle: 'linus', name: 'Linus', email: 'linus@example.com' },
];

const scopes: ConsentScope[] = [
  { name: 'openid', description: null },
  { name: 'projects:read', description: 'Read your projects' },
];

function consent(overrides: Partial<Parameters<typeof consentPage>[0]> = {}): string {
  return consentPage({
    clientName: 'Acme Translate',
    user: users[0]!,
    scopes,
    hidden: { client_id: 'acme', state: 'xyz', redirect_uri: 'http://localhost:3000/cb' },
    csrfToken: 'csrf-123',
    showDeny: true,
    switchUserUrl: '/auth/login?return_to=%2Foauth%2Fauthorize',
    ...overrides,
  });
}

function login(overrides: Partial<Parameters<typeof loginPage>[0]> = {}): string {
  return loginPage({ users, csrfToken: 'csrf-123', returnTo: '/oauth/authorize?client_id=acme', ...overrides });
}

function home(): string {
  return homePage({
    issuer: 'http://localhost:4000',
    profile: 'default',
    users,
    clients: [
      { client_id: 'acme', client_name: 'Acme Translate', public: false, redirect_uris: ['http://localhost:3000/cb'] },
      { client_id: 'cli', client_name: 'Glossia CLI', public: true, redirect_uris: [] },
    ],
    signedInAs: users[1],
    csrfToken: 'csrf-123',
  });
}

function allPages(): Record<string, string> {
  return {
    login: login({ clientName: 'Acme', error: 'Unknown user', selected: 'grace' }),
    loginEmpty: login({ users: [] }),
    consent: consent(),
    consentNoScopes: consent({ scopes: [], showDeny: false }),
    error: errorPage({ status: 400, error: 'invalid_request', description: 'redirect_uri is not registered' }),
    home: home(),
    homeSignedOut: homePage({ issuer: 'http://x', profile: 'p', users: [], clients: [], csrfToken: 't' }),
  };
}

/** All <input ...> tags with their attributes parsed. */
function inputs(doc: string): Record<string, string>[] {
  return [...doc.matchAll(/<input\b([^>]*)>/g)].map((m) => {
    const attrs: Record<string, string> = {};
    for (const a of m[1]!.matchAll(/([a-zA-Z_:-]+)(?:="([^"]*)")?/g)) attrs[a[1]!] = a[2] ?? '';
    return attrs;
  });
}

describe('html helpers', () => {
  it('escapes the five special characters', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });

  it('escapes interpolations, keeps SafeHtml raw, joins arrays, drops null/undefined/false', () => {
    const out = html`<p>${EVIL}${raw('<b>ok</b>')}${['<i>', html`<em>${'&'}</em>`, 1]}${null}${undefined}${false}</p>`;
    expect(out.__html).toBe('<p>&lt;script&gt;alert(1)&lt;/script&gt;<b>ok</b>&lt;i&gt;<em>&amp;</em>1</p>');
  });

  it('does not trust look-alike objects', () => {
    const fake = { __html: EVIL, toString: () => EVIL };
    expect(html`${fake}`.__html).not.toContain('<script>');
  });

  it('page() renders a complete, accessible document shell', () => {
    const doc = page({ title: 'T & <U>', body: html`<p>hi</p>` });
    expect(doc.startsWith('<!doctype html>')).toBe(true);
    expect(doc).toContain('<html lang="en">');
    expect(doc).toContain('<meta charset="utf-8">');
    expect(doc).toContain('name="viewport"');
    expect(doc).toContain('<title>T &amp; &lt;U&gt; · Glossia</title>');
    expect(doc).toContain('<link rel="stylesheet" href="/assets/glossia-mock.css">');
    expect(doc).toMatch(/<main\b[^>]*>[\s\S]*<p>hi<\/p>[\s\S]*<\/main>/);
    expect(doc).toContain('glossia-mock — a local mock of Glossia for development and testing');
    expect(doc).toMatch(/class="badge"[^>]*>mock</);
  });
});

describe('stylesheet', () => {
  it('has no @import and stays small (under 12 KB for every page)', () => {
    expect(stylesheet).not.toMatch(/@import/i);
    expect(Buffer.byteLength(stylesheet, 'utf8')).toBeLessThan(12 * 1024);
  });

  it('has visible focus styles and no external URLs', () => {
    expect(stylesheet).toContain(':focus-visible');
    expect(stylesheet).not.toMatch(/url\(/i);
  });
});

describe('login page', () => {
  it('escapes the client name, error and hidden values', () => {
    const doc = login({ clientName: EVIL, error: EVIL, returnTo: '/x?a="b"&c=\'d\'', csrfToken: '"><script>' });
    expect(doc).not.toContain('<script>');
    expect(doc).toContain('to continue to <strong>&lt;script&gt;alert(1)&lt;/script&gt;</strong>');
    expect(doc).toContain('name="return_to" value="/x?a=&quot;b&quot;&amp;c=&#39;d&#39;"');
    expect(doc).toContain('name="_csrf" value="&quot;&gt;&lt;script&gt;"');
  });

  it('escapes user fields', () => {
    const doc = login({ users: [{ handle: 'x"y', name: EVIL, email: '<e@x>' }] });
    expect(doc).not.toContain('<script>');
    expect(doc).toContain('value="x&quot;y"');
    expect(doc).toContain('&lt;e@x&gt;');
  });

  it('posts to /auth/login with a radio group in a fieldset', () => {
    const doc = login();
    expect(doc).toContain('<form method="post" action="/auth/login">');
    expect(doc).toMatch(/<fieldset>\s*<legend>Sign in as<\/legend>/);
    expect(inputs(doc).filter((i) => i.type === 'radio' && i.name === 'handle').map((i) => i.value)).toEqual([
      'ada',
      'grace',
      'linus',
    ]);
    expect(doc).toMatch(/<button type="submit"[^>]*>Continue<\/button>/);
    expect(doc).toContain('<h1>Log in to Glossia</h1>');
    expect(doc).toContain('Welcome back. Choose who you are to continue.');
  });

  it('checks the selected user, or the first one', () => {
    const checked = (doc: string) => inputs(doc).filter((i) => 'checked' in i).map((i) => i.value);
    expect(checked(login({ selected: 'grace' }))).toEqual(['grace']);
    expect(checked(login())).toEqual(['ada']);
    expect(checked(login({ selected: 'nobody' }))).toEqual(['ada']);
  });

  it('shows the error in an alert only when given', () => {
    expect(login()).not.toContain('role="alert"');
    const doc = login({ error: 'Pick a user' });
    expect(doc).toMatch(/role="alert"[^>]*>[\s\S]*Pick a user/);
    expect(doc.indexOf('role="alert"')).toBeLessThan(doc.indexOf('<form'));
  });

  it('omits the client line when no client name', () => {
    expect(login()).not.toContain('to continue to');
  });
});

describe('consent page', () => {
  it('escapes the client name and hidden values', () => {
    const doc = consent({
      clientName: EVIL,
      hidden: { state: `a"b'c<d>&`, 'weird"name': 'v' },
      user: { handle: 'h', name: EVIL, email: 'e' },
    });
    expect(doc).not.toContain('<script>');
    expect(doc).toContain('<h1 class="center">Authorize &lt;script&gt;alert(1)&lt;/script&gt;</h1>');
    expect(doc).toContain('<input type="hidden" name="state" value="a&quot;b&#39;c&lt;d&gt;&amp;">');
    expect(doc).toContain('<input type="hidden" name="weird&quot;name" value="v">');
    expect(doc).toContain('>Authorize &lt;script&gt;alert(1)&lt;/script&gt;</button>');
  });

  it('renders the form with every hidden field and the csrf token', () => {
    const doc = consent();
    expect(doc).toContain('<form id="oauth-consent-form" method="post" action="/oauth/authorize">');
    const hidden = Object.fromEntries(
      inputs(doc)
        .filter((i) => i.type === 'hidden')
        .map((i) => [i.name, i.value]),
    );
    expect(hidden).toEqual({
      client_id: 'acme',
      state: 'xyz',
      redirect_uri: 'http://localhost:3000/cb',
      _csrf: 'csrf-123',
    });
    expect(doc).toContain('<button type="submit" name="decision" value="approve">Authorize Acme Translate</button>');
    expect(doc).toContain('Acme Translate wants to access your Glossia account.');
    expect(doc).toContain('Signed in as Ada Lovelace (@ada)');
    expect(doc).toContain('<a href="/auth/login?return_to=%2Foauth%2Fauthorize">Not you?</a>');
    expect(doc).toContain('By authorizing, you allow this application to access your account.');
  });

  it('shows the Deny button only when showDeny', () => {
    const deny = '<button type="submit" name="decision" value="deny" class="secondary">Deny</button>';
    expect(consent({ showDeny: true })).toContain(deny);
    expect(consent({ showDeny: false })).not.toContain('value="deny"');
  });

  it('lists scopes with descriptions, and omits the block when empty', () => {
    const doc = consent();
    expect(doc).toContain('Requested permissions:');
    expect(doc).toContain('<li><code>openid</code></li>');
    expect(doc).toMatch(/<code>projects:read<\/code>\s*<span[^>]*>Read your projects<\/span>/);
    const none = consent({ scopes: [] });
    expect(none).not.toContain('Requested permissions');
    expect(none).not.toContain('<ul');
  });
});

describe('error page', () => {
  it('shows the code, description and explanation in an alert, escaped', () => {
    const doc = errorPage({ status: 400, error: 'invalid_request', description: `redirect_uri ${EVIL}` });
    expect(doc).toContain('<title>Authorization error · Glossia</title>');
    expect(doc).toContain('role="alert"');
    expect(doc).toContain('<code>invalid_request</code>');
    expect(doc).toContain('redirect_uri &lt;script&gt;');
    expect(doc).not.toContain('<script>');
    expect(doc).toContain(
      'The application sent an invalid authorization request, so you were not redirected back to it.',
    );
  });
});

describe('home page', () => {
  it('shows issuer, metadata links, users and clients tables, and the sign-out form', () => {
    const doc = home();
    expect(doc).toContain('<h1>glossia-mock</h1>');
    expect(doc).toContain('http://localhost:4000');
    expect(doc).toContain('href="/.well-known/oauth-authorization-server"');
    expect(doc).toContain('href="/.well-known/jwks.json"');
    expect(doc.match(/<caption\b/g)).toHaveLength(2);
    expect(doc).toContain('<th scope="col">');
    expect(doc).toContain('<code>acme</code>');
    expect(doc).toContain('Confidential');
    expect(doc).toContain('Public');
    expect(doc).toContain('Signed in as Grace Hopper (@grace)');
    expect(doc).toMatch(/<form method="post" action="\/auth\/logout">\s*<input type="hidden" name="_csrf" value="csrf-123">/);
    expect(doc).toMatch(/<button[^>]*>Sign out<\/button>/);
  });

  it('has no sign-out form when signed out', () => {
    const doc = homePage({ issuer: 'i', profile: 'p', users, clients: [], signedInAs: null, csrfToken: 't' });
    expect(doc).not.toContain('/auth/logout');
  });
});

describe('all pages', () => {
  for (const [name, doc] of Object.entries(allPages())) {
    describe(name, () => {
      it('labels every visible input with a matching <label for>', () => {
        const labelFors = new Set([...doc.matchAll(/<label\b[^>]*\bfor="([^"]+)"/g)].map((m) => m[1]));
        const ids = inputs(doc).filter((i) => i.type !== 'hidden').map((i) => i.id);
        for (const id of ids) {
          expect(id, 'visible input without id').toBeTruthy();
          expect(labelFors.has(id), `no <label for="${id}">`).toBe(true);
        }
        const allIds = [...doc.matchAll(/\bid="([^"]+)"/g)].map((m) => m[1]);
        expect(new Set(allIds).size).toBe(allIds.length);
      });

      it('has no inline styles or scripts', () => {
        expect(doc).not.toMatch(/\sstyle=/i);
        expect(doc).not.toMatch(/<style\b/i);
        expect(doc).not.toMatch(/<script\b/i);
        expect(doc).not.toMatch(/\son[a-z]+=/i);
      });

      it('is a document with lang, one <main> and exactly one <h1>', () => {
        expect(doc).toContain('<html lang="en">');
        expect(doc.match(/<main\b/g)).toHaveLength(1);
        expect(doc.match(/<h1\b/g)).toHaveLength(1);
      });

      it('uses <button> for actions, never input[type=submit]', () => {
        expect(doc).not.toMatch(/<input[^>]*type="(submit|button)"/);
        for (const form of doc.match(/<form\b[\s\S]*?<\/form>/g) ?? []) {
          expect(form).toMatch(/<button\b/);
        }
      });
    });
  }
});
