// Browser sessions for the sign-in and consent pages. Stateless: the cookie carries a random
// session id and the signed-in user id, MAC'd with the store's secret, so sessions survive a
// restart without any bookkeeping. CSRF tokens are derived from the session id.
import { createHmac } from 'node:crypto';
import type { Context } from 'koa';
import { randomBase64url, safeEqual } from '../crypto/random.js';
import type { Mock } from '../mock.js';

export interface Session {
  id: string;
  userId: string | null;
}

// Cookies ignore ports, so two mocks on localhost need different cookie names.
const cookieName = (mock: Mock) => `glossia_mock_${new URL(mock.issuer).port || 'default'}`;

const mac = (mock: Mock, value: string) => createHmac('sha256', mock.secret).update(value).digest('base64url');

function readSession(ctx: Context, mock: Mock): Session | null {
  const raw = ctx.cookies.get(cookieName(mock));
  if (!raw) return null;
  const [id, userId, sig] = raw.split('.');
  if (!id || userId === undefined || !sig || !safeEqual(sig, mac(mock, `${id}.${userId}`))) return null;
  return { id, userId: userId === '' ? null : userId };
}

function writeSession(ctx: Context, mock: Mock, session: Session): void {
  const value = `${session.id}.${session.userId ?? ''}`;
  ctx.cookies.set(cookieName(mock), `${value}.${mac(mock, value)}`, {
    httpOnly: true,
    sameSite: 'lax',
    path: '/',
    secure: false,
    overwrite: true,
  });
}

/** The browser's session, created (and its cookie set) on first sight. */
export function session(ctx: Context, mock: Mock): Session {
  const existing = readSession(ctx, mock);
  if (existing) return existing;
  const created: Session = { id: randomBase64url(18), userId: null };
  writeSession(ctx, mock, created);
  return created;
}

export function signIn(ctx: Context, mock: Mock, userId: string | null): void {
  // A fresh id at every sign-in/out, so a CSRF token seen before cannot be replayed after.
  writeSession(ctx, mock, { id: randomBase64url(18), userId });
}

export const csrfToken = (mock: Mock, s: Session): string => mac(mock, `csrf:${s.id}`);

export function validCsrf(mock: Mock, s: Session, given: unknown): boolean {
  return typeof given === 'string' && safeEqual(given, csrfToken(mock, s));
}
