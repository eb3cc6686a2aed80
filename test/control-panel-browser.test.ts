// The control panel in headless Chromium (Debian's /usr/bin/chromium via playwright-core), used the
// way a QA engineer would: force a failure with a button, run the flow, see the rule fire.
import type { Page } from 'playwright-core';
import { beforeEach, describe, expect, it } from 'vitest';
import { callbackUrl, chromiumSuite, expectNamedControls, screenshot } from './helpers/chromium.js';
import { authorizeUrl, pkce, type TestMock } from './helpers/mock.js';

/** The roles of the control panel's controls. */
const ROLES = ['radio', 'checkbox', 'textbox', 'button', 'combobox', 'listbox', 'spinbutton'];

let m: TestMock;
let page: Page;
/** Console errors, uncaught exceptions and CSP violations seen by the current page. */
let problems: string[];
// A timeout shorter than the test's, so a stuck step reports which one it was.
chromiumSuite({ viewport: { width: 1280, height: 900 }, timeout: 8000 }, (s) => ({ m, page, problems } = s));

beforeEach(async () => {
  expect((await fetch(`${m.url}/_mock/reset`, { method: 'POST' })).status).toBe(200);
});

const rulesTable = () => page.getByRole('table', { name: 'Active rules, first match wins' });
const status = () => page.getByRole('status');
/** The Fired cell of the first rule whose endpoint is `endpoint`. */
const firedOf = (endpoint: string) =>
  rulesTable().getByRole('row').filter({ has: page.getByRole('rowheader', { name: endpoint, exact: true }) }).getByRole('cell').nth(3);

describe('control panel (Chromium)', () => {
  it('denies the next authorization with one click; the rule fires once; the clock moves', async () => {
    await page.goto(`${m.url}/_mock`);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Control panel');
    await expect(rulesTable().getByRole('cell', { name: /No fault rules/ }).count()).resolves.toBe(1);
    expect(await expectNamedControls(page, ROLES)).toBeGreaterThan(20);

    // One click: back on the panel, with the notice and the rule.
    await page.getByRole('button', { name: /^Deny next authorization/ }).click();
    await page.waitForURL((u) => u.pathname === '/_mock' && u.searchParams.get('done') === 'deny-authorize');
    expect(new URL(page.url()).hash).toBe('#faults');
    await expect(status().innerText()).resolves.toBe('The next authorization request will be denied with access_denied.');
    await expect(rulesTable().getByRole('row').filter({ hasText: 'access_denied' }).count()).resolves.toBe(1);
    await expect(firedOf('authorize').innerText()).resolves.toBe('0');

    // The demo client's authorization request comes back to its callback with access_denied.
    const { challenge } = pkce();
    await page.goto(authorizeUrl(m.url, { challenge, scope: 'user:read', state: 'qa-deny' }));
    const callback = await callbackUrl(page);
    expect(callback.pathname).toBe('/callback');
    expect(callback.searchParams.get('error')).toBe('access_denied');
    expect(callback.searchParams.get('state')).toBe('qa-deny');
    expect(callback.searchParams.has('code')).toBe(false);

    // Back on the panel: fired once (used up), and the journal shows the request with the fault.
    await page.goto(`${m.url}/_mock`);
    await expect(firedOf('authorize').innerText()).resolves.toBe('1');
    await expect(rulesTable().getByRole('cell', { name: 'once used up' }).count()).resolves.toBe(1);
    const journal = page.getByRole('table', { name: 'Recent requests' });
    const ruleId = (await m.mock.faults.list())[0]!.id;
    const authorizeRow = journal.getByRole('row').filter({ has: page.getByRole('rowheader', { name: '/oauth/authorize' }) });
    await expect(authorizeRow.count()).resolves.toBe(1);
    await expect(authorizeRow.getByRole('cell').allInnerTexts()).resolves.toEqual([
      expect.stringMatching(/^\d\d:\d\d:\d\d$/),
      'GET',
      '302',
      'Glossia Mock Demo',
      '—',
      ruleId.slice(0, 8),
      '—',
    ]);
    // The fault links to its rule.
    await authorizeRow.getByRole('link', { name: `Rule ${ruleId.slice(0, 8)}` }).click();
    expect(new URL(page.url()).hash).toBe(`#fault-${ruleId}`);

    // Advance the clock by an hour: the offset shows.
    await page.getByRole('button', { name: '+1 h' }).click();
    await page.waitForURL((u) => u.searchParams.get('done') === 'clock-advanced');
    await expect(status().innerText()).resolves.toMatch(/^Clock moved\./);
    const clock = page.getByRole('definition').filter({ hasText: 'UTC' });
    await expect(clock.innerText()).resolves.toMatch(/UTC \+1 h$/);
    expect(m.mock.clock.offset()).toBe(3600);

    await screenshot(page, 'control-panel');
    expect(problems).toEqual([]);
  });

  it('adds a rule with the form, shows invalid input in an alert, and resets only when confirmed', async () => {
    await page.goto(`${m.url}/_mock`);
    const form = page.locator('form', { has: page.getByRole('button', { name: 'Add fault rule' }) });

    // No error, status, delay or drop: the page comes back with an alert and the typed values.
    await form.getByLabel('Endpoint').selectOption('token');
    await form.getByLabel('Only for grant_type').fill('refresh_token');
    await form.getByRole('button', { name: 'Add fault rule' }).click();
    await page.waitForURL((u) => u.pathname === '/_mock/panel/faults');
    const alert = page.getByRole('alert');
    await expect(alert.innerText()).resolves.toMatch(/^A fault rule needs “Error code”/);
    await expect(form.getByLabel('Endpoint').inputValue()).resolves.toBe('token');
    await expect(form.getByLabel('Only for grant_type').inputValue()).resolves.toBe('refresh_token');
    // The form's action URL scrolled the page to the form, where the alert is.
    await expect(alert.isVisible()).resolves.toBe(true);
    expect(await alert.evaluate((el) => el.getBoundingClientRect().top)).toBeLessThan(900);

    await form.getByLabel('Error code').selectOption('invalid_grant');
    await form.getByRole('group', { name: 'Times' }).getByLabel('This many times:').check();
    await form.getByLabel('Number of times').fill('2');
    await form.getByRole('button', { name: 'Add fault rule' }).click();
    await page.waitForURL((u) => u.searchParams.get('done') === 'rule-added');
    const row = rulesTable().getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'token', exact: true }) });
    await expect(row.getByRole('cell').allInnerTexts()).resolves.toEqual(['grant_type=refresh_token', 'invalid_grant', '2 times', '0', expect.stringMatching(/^Remove/)]);

    // Reset needs the box ticked (the browser will not submit without it).
    const reset = page.getByRole('button', { name: 'Reset to fixtures' });
    await reset.click();
    await expect(page.getByLabel('Yes, reset this mock to its fixtures').evaluate((el: HTMLInputElement) => el.validity.valueMissing)).resolves.toBe(true);
    expect(m.mock.faults.list()).toHaveLength(1);
    await page.getByLabel('Yes, reset this mock to its fixtures').check();
    await reset.click();
    await page.waitForURL((u) => u.searchParams.get('done') === 'reset');
    await expect(status().innerText()).resolves.toMatch(/^Back to the fixtures/);
    expect(m.mock.faults.list()).toEqual([]);

    // Chromium logs the 422 of the invalid submission; nothing else may show up.
    expect(problems).toEqual([expect.stringMatching(/^error: Failed to load resource: .*status of 422/)]);
  });
});
