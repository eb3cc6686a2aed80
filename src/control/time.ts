// /_mock/clock and /_mock/expire: reach expiry paths without sleeping.
import type { Context } from 'koa';
import { isoMicros } from '../clock.js';
import { JsonError, oauthError, sendJson } from '../http/errors.js';
import { bodyParams, param } from '../http/params.js';
import type { Mock } from '../mock.js';
import type { Table, TokenRecords } from '../store/token-tables.js';

function clockJson(mock: Mock) {
  return { now: isoMicros(mock.clock.nowMs()), epoch: mock.clock.now(), offset: mock.clock.offset() };
}

export const getClock = (mock: Mock) => (ctx: Context) => sendJson(ctx, 200, clockJson(mock));

/** The furthest the clock moves in one step (either way): ten years. */
export const MAX_ADVANCE_S = 10 * 365 * 86_400;

export const advanceClock = (mock: Mock) => (ctx: Context) => {
  const advance = bodyParams(ctx)['advance'];
  const seconds = typeof advance === 'string' && /^-?\d+$/.test(advance) ? Number(advance) : advance;
  if (typeof seconds !== 'number' || !Number.isInteger(seconds) || Math.abs(seconds) > MAX_ADVANCE_S)
    throw oauthError(400, 'invalid_request', '"advance" must be a whole number of seconds, e.g. {"advance": 3600}.');
  mock.clock.advance(seconds);
  sendJson(ctx, 200, clockJson(mock));
};

export const EXPIRE_KINDS = ['code', 'access_token', 'refresh_token', 'device_code'] as const;
export type ExpireKind = (typeof EXPIRE_KINDS)[number];

/** Makes the credential expire now; its (new) expiry, or null when this mock issued no such one. */
export function expireCredential(mock: Mock, kind: ExpireKind, value: string): number | null {
  const { tokens } = mock;
  const now = mock.clock.now();
  const expire = <T extends Table>(table: T, record: TokenRecords[T] | undefined) => (record ? tokens.expire(table, record, now) : null);
  switch (kind) {
    case 'code':
      return expire('codes', tokens.findCode(value));
    case 'access_token':
      return expire('accessTokens', tokens.findAccessToken(value));
    case 'refresh_token':
      return expire('refreshTokens', tokens.findRefreshToken(value));
    case 'device_code':
      return expire('deviceCodes', tokens.findDeviceCode(value));
  }
}

/** Makes one code or token expire now: `{"access_token": "…"}` (or code, refresh_token, device_code). */
export const expireNow = (mock: Mock) => (ctx: Context) => {
  const body = bodyParams(ctx);
  const given = EXPIRE_KINDS.filter((k) => param(body, k) !== undefined);
  if (given.length !== 1) throw oauthError(400, 'invalid_request', `Send exactly one of: ${EXPIRE_KINDS.join(', ')}.`);
  const kind = given[0]!;
  const value = param(body, kind)!;
  const expiresAt = expireCredential(mock, kind, value);
  if (expiresAt === null) throw new JsonError(404, { error: 'not_found', error_description: `This mock issued no such ${kind}.` });
  sendJson(ctx, 200, { expired: kind, expires_at: expiresAt });
};
