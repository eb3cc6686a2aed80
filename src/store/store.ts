// The one place that owns persistence. Three files: the lowdb document (durable state), the change
// journal beside it (each change to the durable state, until the document is rewritten: durable.ts)
// and the token journal (token bookkeeping, appended to). `settled()` resolves once everything
// changed so far has reached the operating system, and the HTTP layer sends no response before
// that (src/http/persisted.ts). Writes are synchronous group commits: one append to each journal
// that has changes, for everything changed since the last.
import { unlink } from 'node:fs/promises';
import type { ListName, ListRecords } from './changes.js';
import { openDurableState } from './durable.js';
import { nextTurn, onNextTurn } from './next-turn.js';
import { Stopwatch } from './stopwatch.js';
import { DEFAULT_MAX_GRANTS } from './limits.js';
import { StoreError } from './errors.js';
import { entryLine, JournalWriter, journalPathFor, replayJournal, type JournalEntry, type Rewrite } from './journal.js';
import type { StoreData } from './schema.js';
import { TABLES, TokenTables, type Table, type TokenRecords } from './token-tables.js';

export { StoreError };
export { DEFAULT_MAX_GRANTS };

/** A compaction starts once the journal is this big and twice its size after the previous one. */
const COMPACT_MIN_BYTES = 4 * 1024 * 1024;
/** Housekeeping yields to requests after this much work. */
const SLICE_MS = 5;
/** Records per compaction write: about 60 kB of text, under V8's large-object size. */
const RECORDS_PER_CHUNK = 200;

export interface StoreOptions {
  maxGrants?: number;
  /** The journal is compacted once it has grown past this size and twice its compacted size. */
  compactMinBytes?: number;
  /** The lowdb file is rewritten once the change journal has grown past this size and half the file's. */
  checkpointMinBytes?: number;
  /** …and once no change came for this long (ms). */
  checkpointQuietMs?: number;
  log?: (message: string) => void;
}

export interface Store {
  /** Durable state, kept in the lowdb file. Report every change to it (recordChanged, …). */
  readonly data: StoreData;
  /** Token bookkeeping, kept in the token journal. */
  readonly tokens: TokenTables;
  /** The lowdb file, or null in memory. */
  readonly file: string | null;
  /** The token journal, or null in memory. */
  readonly journalFile: string | null;
  /** The change journal, or null in memory. */
  readonly changesFile: string | null;
  /**
   * A record of `list` in `data` was added or changed in place: it is written with the next group
   * commit (at the latest, next turn).
   */
  recordChanged<L extends ListName>(list: L, record: ListRecords[L]): void;
  /** A record of `list` was removed from `data` (likewise). */
  recordRemoved<L extends ListName>(list: L, record: ListRecords[L]): void;
  /** `data` changed as a whole (seeded, reset); likewise. */
  documentChanged(): void;
  /** Rewrites the lowdb file with everything so far (also done by itself in the background). */
  checkpoint(): Promise<void>;
  /** Resolves once every change made so far (to `data` or `tokens`) has reached the operating system. */
  settled(): Promise<void>;
  /** Forgets every code, grant and token. */
  resetTokens(): void;
  /** Removes codes and tokens that can no longer be used by anyone, in slices between requests. */
  purge(now: number): Promise<number>;
  /** Rewrites the token journal as one line per live record (also done by itself as it grows). */
  compact(): Promise<void>;
  close(): Promise<void>;
}

/** Runs `step` over every item, yielding to the event loop every SLICE_MS. */
async function sliced<T>(items: Iterable<T>, watch: Stopwatch, step: (item: T) => void): Promise<void> {
  let start = performance.now();
  let n = 0;
  for (const item of items) {
    step(item);
    if (++n % 64 === 0 && performance.now() - start > SLICE_MS) {
      await watch.yieldTo(nextTurn());
      start = performance.now();
    }
  }
}

/** Fields whose values repeat across records (a grant's id in each of its codes and tokens, the client, the user, the scope). */
const SHARED_FIELDS = ['grantId', 'clientId', 'userId', 'scope', 'redirectUri'] as const;

/**
 * `apply`, with each repeated value read from the journal kept once: JSON.parse gives every record
 * its own copy, which made a reopened store's token tables a third bigger than the same tables
 * built by requests (and slower to replay: the garbage collector copies every retained string).
 */
function replayingInterned(apply: (entry: JournalEntry) => void): (entry: JournalEntry) => void {
  const seen = new Map<string, string>();
  /** The kept value of each shared field in the record before. */
  const last: (string | undefined)[] = [];
  const intern = (value: string) => {
    const kept = seen.get(value);
    if (kept !== undefined) return kept;
    seen.set(value, value);
    return value;
  };
  return (entry) => {
    const record = entry[1];
    if (record !== undefined && typeof record === 'object') {
      const fields = record as unknown as Record<string, unknown>;
      if (entry[0] === 'grants') fields['key'] = intern(record.key);
      for (let i = 0; i < SHARED_FIELDS.length; i++) {
        const field = SHARED_FIELDS[i]!;
        const value = fields[field];
        if (typeof value !== 'string') continue;
        // Mostly the same as the record before (comparing is cheaper than hashing a new string).
        fields[field] = value === last[i] ? last[i] : (last[i] = intern(value));
      }
    }
    apply(entry);
  };
}

export async function openStore(file: string | null, options: StoreOptions = {}): Promise<Store> {
  const log = options.log ?? ((m: string) => process.stderr.write(`${m}\n`));
  const maxGrants = options.maxGrants ?? DEFAULT_MAX_GRANTS;
  const compactMinBytes = options.compactMinBytes ?? COMPACT_MIN_BYTES;
  const durable = await openDurableState(file, { log, checkpointMinBytes: options.checkpointMinBytes, checkpointQuietMs: options.checkpointQuietMs });
  const journalFile = file === null ? null : journalPathFor(file);

  /** Records changed since the last append, by `table\nkey`. */
  const pending = new Map<string, readonly [Table, string]>();
  let resetPending = false;
  let replaying = true;
  let closing = false;
  /** The journal is closed: a purge still running after close() changes nothing on disk. */
  let closed = false;
  /** Records changed while a compaction runs: written after its snapshot. */
  let changedDuringCompaction: Map<string, readonly [Table, string]> | null = null;

  const tokens = new TokenTables(
    maxGrants,
    (table, key) => {
      if (replaying || journalFile === null) return;
      const id = `${table}\n${key}`;
      pending.set(id, [table, key]);
      changedDuringCompaction?.set(id, [table, key]);
      appendSoon();
    },
    () =>
      log(
        `More than ${maxGrants} live grants: the oldest are evicted from now on, their codes and tokens answered like expired ones (--max-grants raises the cap).`,
      ),
  );

  const entriesRead = journalFile === null ? 0 : replayJournal(journalFile, log, replayingInterned(apply));
  replaying = false;
  const journal = journalFile === null ? null : new JournalWriter(journalFile);
  /** Journal size right after the last compaction (estimated from the live share when opened). */
  let compactedSize = journal?.size ?? 0;
  if (journal && entriesRead > 0) {
    const live = TABLES.reduce((n, t) => n + tokens.size(t), 0);
    compactedSize = Math.round((journal.size * live) / entriesRead);
  }

  function apply(entry: JournalEntry) {
    if (entry.length === 1) return tokens.clear();
    const [table, item] = entry;
    if (typeof item === 'string') tokens.delete(table, item);
    else tokens.put(table, item);
  }

  /** The line that brings a record on disk up to date: put, or deleted. */
  const lineFor = ([table, key]: readonly [Table, string]) => entryLine([table, tokens.get(table, key) ?? key]);

  // ---- the journal: one synchronous append for everything changed since the last ----

  function appendPending() {
    if (!journal || closed || (pending.size === 0 && !resetPending)) return;
    let text = resetPending ? entryLine(['reset']) : '';
    for (const ref of pending.values()) text += lineFor(ref);
    try {
      journal.append(text);
    } catch (err) {
      // Nothing is dropped: the records stay pending for the next append.
      throw new StoreError(`Cannot write the token journal ${journalFile}: ${(err as Error).message}`);
    }
    pending.clear();
    resetPending = false;
    maybeCompact();
  }

  /** Changes made outside a request (purge, start-up) are written on the next turn. */
  const appendSoon = onNextTurn(appendPending, log);

  // ---- compaction ----
  let compaction: Promise<void> | null = null;
  let abortCompaction = false;

  function maybeCompact() {
    if (journal && journal.size >= compactMinBytes && journal.size >= 2 * compactedSize) void startCompaction();
  }

  function startCompaction(): Promise<void> {
    if (!journal || closing) return Promise.resolve();
    compaction ??= compact().finally(() => {
      compaction = null;
    });
    return compaction;
  }

  async function compact() {
    const changed = new Map<string, readonly [Table, string]>();
    changedDuringCompaction = changed;
    abortCompaction = false;
    let rewrite: Rewrite | null = null;
    const watch = new Stopwatch('compaction');
    let n = 0;
    try {
      rewrite = journal!.startRewrite();
      for (const table of TABLES) {
        let chunk = '';
        // The keys as they are now (a live Map iterator would chase the records added meanwhile
        // and, under steady load, never finish); whatever changes meanwhile is in `changed`.
        for (const key of Array.from(tokens.keys(table))) {
          const record = tokens.get(table, key);
          if (!record) continue;
          chunk += entryLine([table, record]);
          if (++n % RECORDS_PER_CHUNK === 0) {
            await watch.yieldTo(rewrite.write(chunk));
            chunk = '';
            if (abortCompaction) throw new Error('aborted');
          }
        }
        await watch.yieldTo(rewrite.write(chunk));
        if (abortCompaction) throw new Error('aborted');
      }
      // Catch up with what changed meanwhile a chunk at a time (a record that changes again is
      // queued again), so that what is left for the synchronous tail fits in one slice; unless
      // changes come faster than that, then the tail takes them all.
      for (let before = Infinity; changed.size > RECORDS_PER_CHUNK && changed.size < before; ) {
        before = changed.size;
        const refs = Array.from(changed.values());
        changed.clear();
        for (let i = 0; i < refs.length; i += RECORDS_PER_CHUNK) {
          let chunk = '';
          for (const ref of refs.slice(i, i + RECORDS_PER_CHUNK)) chunk += lineFor(ref);
          await watch.yieldTo(rewrite.write(chunk));
          if (abortCompaction) throw new Error('aborted');
        }
      }
      // Synchronous from here: nothing can change between the tail and the swap.
      appendPending();
      let tail = '';
      for (const ref of changed.values()) tail += lineFor(ref);
      compactedSize = rewrite.commit(tail);
      rewrite = null;
      watch.done(n);
    } catch (err) {
      if ((err as Error).message !== 'aborted') log(`Compacting the token journal ${journalFile} failed (it stays as it was): ${(err as Error).message}`);
    } finally {
      changedDuringCompaction = null;
      if (rewrite) {
        rewrite.abandon();
        await unlink(`${journalFile}.tmp`).catch(() => undefined);
      }
    }
  }

  // A file written before the token journal: its token sections move to the journal, then leave
  // the lowdb file.
  if (durable.legacy) {
    for (const table of TABLES) {
      for (const [key, record] of Object.entries(durable.legacy[table] ?? {})) tokens.put(table, { ...record, key } as TokenRecords[typeof table]);
    }
    appendPending();
    durable.checkpointNow();
  }
  setImmediate(maybeCompact);

  let closingDone: Promise<void> | null = null;
  /** Journal first: a migrated file's tokens must be in the journal before they leave the document. */
  const settled = (): Promise<void> => {
    try {
      appendPending();
      durable.flush();
    } catch (err) {
      return Promise.reject(err as Error);
    }
    return Promise.resolve();
  };

  return {
    data: durable.data,
    tokens,
    file,
    journalFile,
    changesFile: durable.changesFile,
    recordChanged: durable.recordChanged,
    recordRemoved: durable.recordRemoved,
    documentChanged: durable.documentChanged,
    checkpoint: durable.checkpoint,
    settled,
    resetTokens() {
      tokens.clear();
      pending.clear();
      abortCompaction = true;
      if (journalFile === null) return;
      resetPending = true;
      // Everything before the reset is garbage now: compact as soon as the journal is big enough.
      compactedSize = 0;
      appendSoon();
    },
    async purge(now) {
      let removed = 0;
      const watch = new Stopwatch('purge');
      for (const table of TABLES) {
        if (closing) break;
        await sliced(tokens.entries(table), watch, ([key, record]) => {
          if (record.expiresAt < now && tokens.delete(table, key)) removed++;
        });
      }
      watch.done(removed);
      return removed;
    },
    compact: () => startCompaction(),
    close() {
      closingDone ??= (async () => {
        closing = true;
        abortCompaction = true;
        await compaction;
        await settled();
        await durable.close();
        closed = true;
        journal?.close();
      })();
      return closingDone;
    },
  };
}
