// The change journal: an append-only JSON Lines file beside the lowdb file (`db.json` →
// `db.changes.jsonl`) that makes a write to the durable state cost one short line instead of a
// rewrite of the whole document. Every line after the header is one change, numbered:
//   [seq, list, record]    a record of `list` added or changed (the record as it is now)
//   [seq, list, key]       the record of `list` with that key removed
//   [seq, "document", d]   the document replaced as a whole (seeded, reset)
// db.json's `appliedChanges` is the number of the last change it already contains; opening the
// store applies exactly the lines after it. The lines are consecutive: a journal that does not
// continue its db.json (a restored backup, a file from another store) stops the server.
import type { StoreData, StoredClient, StoredKey, World } from './schema.js';
import { corruptJournal, type JournalKind } from './journal.js';

export const CHANGE_JOURNAL: JournalKind = {
  header: '{"glossiaMockChanges":1}',
  name: 'change journal',
  deleting: 'that loses the clients and API changes made since the store file was last written',
};

/** The change journal for a lowdb file: `db.json` → `db.changes.jsonl`. */
export function changesPathFor(dataFile: string): string {
  return `${dataFile.replace(/\.json$/i, '')}.changes.jsonl`;
}

export type WorldList = Exclude<keyof World, 'fixturesHash'>;

/** Every list of durable records, and the type of its records. */
export type ListRecords = { [L in WorldList]: World[L][number] } & { clients: StoredClient; signingKeys: StoredKey };
export type ListName = keyof ListRecords;

/** What identifies a record within its list (stable for the record's life: no handler changes it). */
const KEYS: { [L in ListName]: (record: ListRecords[L]) => unknown } = {
  clients: (r) => r.client_id,
  signingKeys: (r) => r.kid,
  organizations: (r) => r.id,
  memberships: (r) => `${r.organization} ${r.userId}`,
  invitations: (r) => r.id,
  projects: (r) => r.id,
  voices: (r) => `${r.account} ${r.version}`,
  glossaries: (r) => `${r.account} ${r.version}`,
  accountTokens: (r) => r.id,
  oauthApps: (r) => r.id,
  models: (r) => r.id,
};

const isList = (name: unknown): name is ListName => typeof name === 'string' && Object.hasOwn(KEYS, name);

/** The key of `record` in `list`; undefined when the record has none (a damaged line). */
export function keyOf<L extends ListName>(list: L, record: ListRecords[L]): string | undefined {
  const key = (KEYS[list] as (r: ListRecords[L]) => unknown)(record);
  return typeof key === 'string' ? key : undefined;
}

export type Change =
  | { seq: number; list: ListName; record: ListRecords[ListName]; key: string }
  | { seq: number; list: ListName; record: null; key: string }
  | { seq: number; list: 'document'; document: StoreData };

/** A record as it is now (`record`), or its removal (`null`). */
export function changeLine(seq: number, list: ListName, key: string, record: ListRecords[ListName] | null): string {
  return `${JSON.stringify([seq, list, record ?? key])}\n`;
}

export function documentLine(seq: number, document: StoreData): string {
  return `${JSON.stringify([seq, 'document', document])}\n`;
}

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

export function parseChange(line: string): Change | null {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return null;
  }
  if (!Array.isArray(value) || value.length !== 3) return null;
  const [seq, list, item] = value as unknown[];
  if (!Number.isSafeInteger(seq) || (seq as number) < 1) return null;
  if (list === 'document') return isObject(item) ? { seq: seq as number, list, document: item as unknown as StoreData } : null;
  if (!isList(list)) return null;
  if (typeof item === 'string') return { seq: seq as number, list, record: null, key: item };
  if (!isObject(item)) return null;
  const record = item as unknown as ListRecords[ListName];
  const key = keyOf(list, record);
  return key === undefined ? null : { seq: seq as number, list, record, key };
}

/** Removed records, until the list is compacted at the end of a replay. */
const GONE = Symbol('removed');

/**
 * Applies to `data` (in place) the changes numbered after `data.appliedChanges`, in order, and
 * returns the number of the last change the data now contains. A gap in the numbers, or a change
 * to API data the document does not have, is a StoreError (`path` names the journal).
 */
export function replayChanges(data: StoreData, lines: readonly string[], path: string): number {
  const fail = (why: string) => corruptJournal(CHANGE_JOURNAL, path, why);
  let last = data.appliedChanges;
  /** Position of each record by key, per list touched so far (built on first touch). */
  let positions = new Map<ListName, Map<string, number>>();
  const compact = () => {
    for (const list of positions.keys()) {
      const array = list === 'clients' ? null : arrayOf(data, list);
      if (array) dropGone(array);
    }
    positions = new Map();
  };
  let previous: number | null = null;
  for (let i = 0; i < lines.length; i++) {
    const change = parseChange(lines[i]!);
    const lineNo = i + 2;
    if (!change) throw fail(`has an invalid record on line ${lineNo}`);
    if (previous !== null && change.seq !== previous + 1) throw fail(`skips from change ${previous} to ${change.seq} on line ${lineNo}`);
    previous = change.seq;
    if (change.seq <= last) continue;
    if (change.seq !== last + 1) throw fail(`starts at change ${change.seq} but the store file holds changes up to ${last} only (it is not this store file's journal)`);
    last = change.seq;
    if (change.list === 'document') {
      compact();
      Object.assign(data, change.document);
      continue;
    }
    const { list, key, record } = change;
    if (list === 'clients') {
      if (record) data.clients[key] = record as StoredClient;
      else delete data.clients[key];
      continue;
    }
    const array = arrayOf(data, list);
    if (!array) throw fail(`changes API data on line ${lineNo} that the store file does not have`);
    let index = positions.get(list);
    if (!index) {
      index = new Map();
      for (let at = 0; at < array.length; at++) {
        const k = keyOf(list, array[at] as ListRecords[typeof list]);
        if (k !== undefined) index.set(k, at);
      }
      positions.set(list, index);
    }
    const at = index.get(key);
    if (record) {
      if (at === undefined) index.set(key, array.push(record) - 1);
      else array[at] = record;
    } else if (at !== undefined) {
      array[at] = GONE;
      index.delete(key);
    }
  }
  compact();
  data.appliedChanges = last;
  return last;
}

function arrayOf(data: StoreData, list: Exclude<ListName, 'clients'>): unknown[] | null {
  if (list === 'signingKeys') return data.signingKeys;
  return data.world ? (data.world[list] as unknown[]) : null;
}

function dropGone(array: unknown[]): void {
  let kept = 0;
  for (const item of array) if (item !== GONE) array[kept++] = item;
  array.length = kept;
}
