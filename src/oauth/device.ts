// The verification pages of the device flow: GET/POST /oauth/device and POST /oauth/device/confirm.
// The person must be signed in; decisions are CSRF-protected forms.
import type { Context } from 'koa';
import { HtmlError } from '../http/errors.js';
import { bodyParams, queryParams } from '../http/params.js';
import { enforce } from '../limits/enforce.js';
import { csrfToken, session, validCsrf } from '../http/session.js';
import type { Mock } from '../mock.js';
import type { FixtureUser } from '../fixtures/types.js';
import { devicePage, type DeviceState } from '../ui/pages/device.js';
import { sendHtml } from '../ui/respond.js';
import { findByUserCode, normaliseUserCode } from './device-codes.js';
import { parseScope, SCOPE_DESCRIPTIONS } from './scopes.js';

const NOTICES: Readonly<Record<string, DeviceState>> = {
  approved: { kind: 'message', tone: 'success', text: 'Device authorized. You can return to the app.' },
  denied: { kind: 'message', tone: 'success', text: 'Authorization denied.' },
  inactive: { kind: 'message', tone: 'error', text: 'This device code is no longer active.' },
  invalid: { kind: 'message', tone: 'error', text: 'Invalid user code.' },
  'invalid-decision': { kind: 'message', tone: 'error', text: 'Invalid decision.' },
};

function signedIn(ctx: Context, mock: Mock): FixtureUser | null {
  const { userId } = session(ctx, mock);
  const user = userId ? mock.directory.userById(userId) : undefined;
  if (user) return user;
  ctx.redirect(`/auth/login?${new URLSearchParams({ return_to: ctx.url })}`);
  return null;
}

function requireCsrf(mock: Mock, ctx: Context, given: unknown) {
  if (!validCsrf(mock, session(ctx, mock), given))
    throw new HtmlError(403, 'invalid_request', 'This form has expired or did not come from this page. Go back and try again.');
}

function stateOf(mock: Mock, userCode: string): DeviceState {
  const record = findByUserCode(mock, userCode);
  if (!record) return NOTICES['invalid']!;
  if (record.expiresAt <= mock.clock.now())
    return { kind: 'message', tone: 'error', text: 'This code has expired. Start again from the app.' };
  const clientName = mock.clients.find(record.clientId)?.client_name ?? 'Unknown client';
  const scopes = parseScope(record.scope).map((name) => ({
    name,
    description: mock.profile.consentScopeDescriptions ? (SCOPE_DESCRIPTIONS[name] ?? null) : null,
  }));
  switch (record.status) {
    case 'denied':
      return { kind: 'message', tone: 'error', text: 'This request was denied.' };
    case 'consumed':
      return { kind: 'message', tone: 'error', text: 'This device is already authorized.' };
    case 'approved':
      return { kind: 'approved', clientName, scopes };
    case 'pending':
      return { kind: 'pending', clientName, scopes };
  }
}

export const deviceGet = (mock: Mock) => (ctx: Context) => {
  const user = signedIn(ctx, mock);
  if (!user) return;
  const q = queryParams(ctx);
  const given = typeof q['user_code'] === 'string' ? q['user_code'] : '';
  const userCode = given ? normaliseUserCode(given) : null;
  const notice = typeof q['notice'] === 'string' && Object.hasOwn(NOTICES, q['notice']) ? NOTICES[q['notice']] : undefined;
  let state: DeviceState = notice ?? { kind: 'none' };
  if (!notice && given) state = userCode ? stateOf(mock, userCode) : NOTICES['invalid']!;
  sendHtml(
    ctx,
    200,
    devicePage({ userCode: userCode ?? given, csrfToken: csrfToken(mock, session(ctx, mock)), state, signedInAs: `${user.name} (@${user.handle})` }),
  );
};

export const devicePost = (mock: Mock) => (ctx: Context) => {
  const body = bodyParams(ctx);
  if (!signedIn(ctx, mock)) return;
  requireCsrf(mock, ctx, body['_csrf']);
  const userCode = typeof body['user_code'] === 'string' ? normaliseUserCode(body['user_code']) : null;
  ctx.redirect(userCode ? `/oauth/device?user_code=${userCode}` : '/oauth/device?notice=invalid');
};

export const deviceConfirm = (mock: Mock) => (ctx: Context) => {
  const body = bodyParams(ctx);
  const user = signedIn(ctx, mock);
  if (!user) return;
  requireCsrf(mock, ctx, body['_csrf']);
  enforce(mock, 'device_confirm', [`user:${user.id}`], 'text');
  const userCode = typeof body['user_code'] === 'string' ? normaliseUserCode(body['user_code']) : null;
  const record = userCode ? findByUserCode(mock, userCode) : undefined;
  const back = (notice: string, withCode: boolean) =>
    ctx.redirect(`/oauth/device?${new URLSearchParams({ ...(withCode && userCode ? { user_code: userCode } : {}), notice })}`);
  if (!record) return back('invalid', false);
  if (record.status !== 'pending' || record.expiresAt <= mock.clock.now()) return back('inactive', false);
  const decision = body['decision'];
  if (decision === 'approve') {
    record.status = 'approved';
    record.userId = user.id;
  } else if (decision === 'deny') {
    record.status = 'denied';
  } else return back('invalid-decision', true);
  mock.store.tokens.changed('deviceCodes', record);
  back(decision === 'approve' ? 'approved' : 'denied', true);
};
