// What voice and glossary share: per-account numbered versions, the `?version=N` parameter, and
// reading the nested records of a write (reference 9.7, 9.8).
import { JsonError } from '../http/errors.js';
import type { Params } from '../http/params.js';
import type { Changeset } from './validation.js';

interface Versioned {
  account: string;
  version: number;
}

/** `?version=N`: undefined when absent; a non-integer is 400 invalid_version. Repeats: the last wins. */
export function readVersion(query: Params): number | undefined {
  let raw = query['version'];
  if (Array.isArray(raw)) raw = raw.at(-1);
  if (raw === undefined) return undefined;
  if (typeof raw !== 'string' || !/^[+-]?\d+$/.test(raw) || !Number.isSafeInteger(Number(raw)))
    throw new JsonError(400, { error: 'invalid_version' });
  return Number(raw);
}

/** The account's versions, oldest first. */
export const versionsOf = <T extends Versioned>(all: readonly T[], account: string): T[] =>
  all.filter((r) => r.account === account).sort((a, b) => a.version - b.version);

/** The asked-for version, or the latest when none was asked; undefined when there is none. */
export function pickVersion<T extends Versioned>(all: readonly T[], account: string, version: number | undefined): T | undefined {
  const mine = versionsOf(all, account);
  return version === undefined ? mine.at(-1) : mine.find((r) => r.version === version);
}

export const nextVersion = (all: readonly Versioned[], account: string): number =>
  all.reduce((max, r) => (r.account === account && r.version > max ? r.version : max), 0) + 1;

/** `?locale=`: undefined when absent; a repeat or an object counts as its last string value. */
export function readLocale(query: Params): string | undefined {
  const raw = query['locale'];
  const value = Array.isArray(raw) ? raw.at(-1) : raw;
  return typeof value === 'string' ? value : undefined;
}

/**
 * A list of nested records (JSON array, or a form's `key[0][field]` map): absent → [], anything
 * else that is not a list of objects → "is invalid".
 */
export function nestedList(c: Changeset, key: string): Params[] {
  const v = c.body[key];
  if (v === undefined || v === null) return [];
  const items = Array.isArray(v)
    ? v
    : typeof v === 'object' && Object.keys(v).every((k) => /^\d+$/.test(k))
      ? Object.entries(v)
          .sort(([a], [b]) => Number(a) - Number(b))
          .map(([, item]) => item as unknown)
      : undefined;
  if (!items || !items.every((i) => i !== null && typeof i === 'object' && !Array.isArray(i))) {
    c.add(key, 'is invalid');
    return [];
  }
  return items as Params[];
}

/** An optional string; blank counts as absent (Ecto's empty values), so it is stored as null. */
export function optionalString(c: Changeset, key: string): string | null {
  const v = c.string(key);
  return v === undefined || v.trim() === '' ? null : v;
}
