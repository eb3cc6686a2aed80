// Listing like Glossia's Flop (reference 9.3): filters[i][field|op|value], order_by[] with
// order_directions[], then a page/limit window. Bad parameters are a 400 naming each one (the real
// server crashes with a 500 here; no client should rely on that).
import { JsonError } from '../http/errors.js';
import type { Params } from '../http/params.js';
import { paginate, readWindow, type Meta } from './pagination.js';

/** Bad pagination, sort or filter parameters; the route pipeline decides the status (profile). */
export class ListParamsError extends JsonError {
  constructor(readonly errors: Record<string, string[]>) {
    super(400, { errors });
  }
}

export interface ListSpec {
  sortable: readonly string[];
  filterable: readonly string[];
  defaultOrder: readonly [field: string, direction: 'asc' | 'desc'];
}

type Row = Record<string, unknown>;
type Op = (a: unknown, b: string) => boolean;

const text = (v: unknown) => (v === null || v === undefined ? '' : String(v));
const compare = (a: unknown, b: unknown): number => {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (a === null || a === undefined) return b === null || b === undefined ? 0 : -1;
  if (b === null || b === undefined) return 1;
  return text(a) < text(b) ? -1 : text(a) > text(b) ? 1 : 0;
};
const coerce = (a: unknown, b: string): unknown => (typeof a === 'number' && /^-?\d+(\.\d+)?$/.test(b) ? Number(b) : b);

const OPS: Readonly<Record<string, Op>> = {
  '==': (a, b) => compare(a, coerce(a, b)) === 0,
  '!=': (a, b) => compare(a, coerce(a, b)) !== 0,
  '=~': (a, b) => text(a).toLowerCase().includes(b.toLowerCase()),
  '<': (a, b) => compare(a, coerce(a, b)) < 0,
  '<=': (a, b) => compare(a, coerce(a, b)) <= 0,
  '>': (a, b) => compare(a, coerce(a, b)) > 0,
  '>=': (a, b) => compare(a, coerce(a, b)) >= 0,
  in: (a, b) => b.split(',').some((v) => compare(a, coerce(a, v.trim())) === 0),
};

const list = (v: unknown): string[] => (v === undefined ? [] : Array.isArray(v) ? v.map(String) : [String(v)]);

interface Filter {
  field: string;
  op: Op;
  value: string;
}

/** Pure: reads the query, returns a function that filters, sorts and windows rows. */
export function readListQuery(params: Params, spec: ListSpec): <T extends Row>(rows: readonly T[]) => { items: T[]; meta: Meta } {
  const errors: Record<string, string[]> = {};
  const add = (key: string, message: string) => (errors[key] ??= []).push(message);

  const filters = new Map<string, Partial<Record<'field' | 'op' | 'value', string>>>();
  for (const key of Object.keys(params)) {
    if (key === 'filters' || key.startsWith('filters[')) {
      const m = /^filters\[(\d+)\]\[(field|op|value)\]$/.exec(key);
      if (!m) {
        add('filters', `"${key}" is not understood; use filters[0][field]=…&filters[0][op]===&filters[0][value]=…`);
        continue;
      }
      const entry = filters.get(m[1]!) ?? {};
      entry[m[2] as 'field' | 'op' | 'value'] = list(params[key]).at(-1) ?? '';
      filters.set(m[1]!, entry);
    }
  }
  const parsed: Filter[] = [];
  for (const [i, f] of filters) {
    if (!f.field || !spec.filterable.includes(f.field)) add(`filters[${i}][field]`, `must be one of: ${spec.filterable.join(', ')}`);
    const op = OPS[f.op ?? '=='];
    if (!op || !Object.hasOwn(OPS, f.op ?? '==')) add(`filters[${i}][op]`, `must be one of: ${Object.keys(OPS).join(' ')}`);
    if (f.field && op) parsed.push({ field: f.field, op, value: f.value ?? '' });
  }

  const orderBy = list(params['order_by[]'] ?? params['order_by']);
  const directions = list(params['order_directions[]'] ?? params['order_directions']);
  for (const field of orderBy) if (!spec.sortable.includes(field)) add('order_by', `must be one of: ${spec.sortable.join(', ')}`);
  for (const d of directions) if (d !== 'asc' && d !== 'desc') add('order_directions', 'must be asc or desc');

  let window;
  try {
    window = readWindow(params);
  } catch (err) {
    if (!(err instanceof JsonError)) throw err;
    Object.assign(errors, (err.body as { errors: Record<string, string[]> }).errors);
  }
  if (Object.keys(errors).length > 0 || !window) throw new ListParamsError(errors);

  const order: [string, 'asc' | 'desc'][] =
    orderBy.length > 0 ? orderBy.map((f, i) => [f, directions[i] === 'desc' ? 'desc' : 'asc']) : [[...spec.defaultOrder]];
  const w = window;
  return (rows) => {
    const kept = rows.filter((r) => parsed.every((f) => f.op(r[f.field], f.value)));
    kept.sort((a, b) => {
      for (const [field, dir] of order) {
        const c = compare(a[field], b[field]);
        if (c !== 0) return dir === 'desc' ? -c : c;
      }
      return 0;
    });
    return paginate(kept, w);
  };
}
