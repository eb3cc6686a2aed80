// Flop-style pagination (reference 9.3): page/page_size or limit/offset, default 50, max 1000,
// and the `meta` object with its literal `?` keys.
import { JsonError } from '../http/errors.js';
import type { Params } from '../http/params.js';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 1000;

export interface Window {
  offset: number;
  limit: number;
}

export interface Meta {
  total_count: number;
  total_pages: number;
  current_page: number;
  page_size: number;
  'has_next_page?': boolean;
  'has_previous_page?': boolean;
}

function integer(params: Params, name: string, min: number, max: number, errors: Record<string, string[]>): number | undefined {
  const raw = params[name];
  if (raw === undefined) return undefined;
  const value = typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(value)) errors[name] = ['is invalid'];
  else if (value < min) errors[name] = [`must be greater than or equal to ${min}`];
  else if (value > max) errors[name] = [`must be less than or equal to ${max}`];
  else return value;
  return undefined;
}

/** Pure: the window a query asks for, or a 400 naming each bad parameter. */
export function readWindow(params: Params): Window {
  const errors: Record<string, string[]> = {};
  const page = integer(params, 'page', 1, Number.MAX_SAFE_INTEGER, errors);
  const pageSize = integer(params, 'page_size', 1, MAX_PAGE_SIZE, errors);
  const limit = integer(params, 'limit', 1, MAX_PAGE_SIZE, errors);
  const offset = integer(params, 'offset', 0, Number.MAX_SAFE_INTEGER, errors);
  const pageFamily = params['page'] !== undefined || params['page_size'] !== undefined;
  const offsetFamily = params['limit'] !== undefined || params['offset'] !== undefined;
  if (pageFamily && offsetFamily) errors['page'] = ['cannot be combined with limit/offset'];
  if (Object.keys(errors).length > 0) throw new JsonError(400, { errors });
  if (offsetFamily) return { offset: offset ?? 0, limit: limit ?? DEFAULT_PAGE_SIZE };
  const size = pageSize ?? DEFAULT_PAGE_SIZE;
  return { offset: ((page ?? 1) - 1) * size, limit: size };
}

export function paginate<T>(items: readonly T[], w: Window): { items: T[]; meta: Meta } {
  const total = items.length;
  const totalPages = Math.ceil(total / w.limit);
  const current = Math.floor(w.offset / w.limit) + 1;
  return {
    items: items.slice(w.offset, w.offset + w.limit),
    meta: {
      total_count: total,
      total_pages: totalPages,
      current_page: current,
      page_size: w.limit,
      'has_next_page?': w.offset + w.limit < total,
      'has_previous_page?': w.offset > 0,
    },
  };
}
