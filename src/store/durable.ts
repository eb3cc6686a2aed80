// The durable state (lowdb's db.json) with its change journal: a write costs one appended line,
// whatever the size of the data. Handlers report what they changed (`recordChanged`,
// `recordRemoved`, `documentChanged`); `flush` appends it all in one write (the group commit the
// HTTP layer waits for before answering). db.json is rewritten whole in the background (a
// checkpoint) once the journal has grown to half its size, after a quiet second, and when the
// store closes; the journal then keeps only what came after the snapshot.
import { statSync } from 'node:fs';
import { changeLine, changesPathFor, CHANGE_JOURNAL, documentLine, keyOf, replayChanges, type ListName, type ListRecords } from './changes.js';
import { openDocument, type Document } from './document.js';
import { StoreError } from './errors.js';
import { JournalWriter, readJournalLines } from './journal.js';
import { nextTurn, onNextTurn } from './next-turn.js';
import { Stopwatch } from './stopwatch.js';
import type { LegacyTokenSections, StoreData } from './schema.js';

/** Below this much journal, no checkpoint for size alone (a small document is rewritten after a quiet moment). */
const CHECKPOINT_MIN_BYTES = 64 * 1024;
/** A checkpoint follows this long without a change. */
const QUIET_MS = 1000;

export interface DurableOptions {
  log: (message: string) => void;
  /** Journal bytes that start a checkpoint (at least; half the document's size when that is more). */
  checkpointMinBytes?: number;
  /** A checkpoint follows this long without a change (Infinity: never for quiet alone). */
  checkpointQuietMs?: number;
}

export interface DurableState {
  readonly data: StoreData;
  /** Token sections found in a file written before the token journal, once. */
  readonly legacy: LegacyTokenSections | null;
  /** The change journal, or null in memory. */
  readonly changesFile: string | null;
  recordChanged<L extends ListName>(list: L, record: ListRecords[L]): void;
  recordRemoved<L extends ListName>(list: L, record: ListRecords[L]): void;
  documentChanged(): void;
  /** Appends every change reported so far to the journal (one write); throws a StoreError. */
  flush(): void;
  /** Rewrites db.json with everything so far and empties the journal, without blocking. */
  checkpoint(): Promise<void>;
  /** The same, synchronously (before anything else runs: migrating an older file). */
  checkpointNow(): void;
  /** A last checkpoint; later changes stay in memory. */
  close(): Promise<void>;
}

type Pending = readonly [list: ListName, key: string, record: ListRecords[ListName] | null];

export async function openDurableState(file: string | null, options: DurableOptions): Promise<DurableState> {
  const { log } = options;
  const document: Document = await openDocument(file);
  const { data } = document;
  const changesFile = file === null ? null : changesPathFor(file);
  /** Number of the last change appended to the journal. */
  let seq = data.appliedChanges;
  /** Number of the last change db.json holds, and its size. */
  let onDisk = data.appliedChanges;
  let documentBytes = 0;
  if (file !== null && changesFile !== null) {
    seq = replayChanges(data, readJournalLines(changesFile, CHANGE_JOURNAL, log), changesFile);
    try {
      documentBytes = statSync(file).size;
    } catch {
      // No file yet: the first checkpoint writes it.
    }
  }
  const writer = changesFile === null ? null : new JournalWriter(changesFile, CHANGE_JOURNAL.header);
  const minBytes = options.checkpointMinBytes ?? CHECKPOINT_MIN_BYTES;
  const quietMs = options.checkpointQuietMs ?? QUIET_MS;
  /** Journal bytes after the header (what a checkpoint would make unnecessary). */
  let journalBytes = writer ? writer.size - CHANGE_JOURNAL.header.length - 1 : 0;

  /** Changed records by `list key`, the newest state wins; null: removed. */
  const pending = new Map<string, Pending>();
  let replaced = false;
  let closing = false;
  let closed = false;
  /** What was appended while a checkpoint ran: the journal keeps it. */
  let sinceSnapshot: string | null = null;
  let running: Promise<void> | null = null;
  let lastChange = 0;
  let quietTimer: NodeJS.Timeout | null = null;

  function track(list: ListName, record: ListRecords[ListName], removed: boolean) {
    if (!writer || closed) return;
    const key = keyOf(list, record);
    if (key === undefined) throw new Error(`A ${list} record without its key cannot be stored`);
    pending.set(`${list} ${key}`, [list, key, removed ? null : record]);
    flushSoon();
  }

  /** Changes made outside a request (start-up, a key generated ahead) are written on the next turn. */
  const flushSoon = onNextTurn(flush, log);

  function flush() {
    if (!writer || closed || (pending.size === 0 && !replaced)) return;
    let next = seq;
    let text = '';
    // The whole document contains every record change made before it.
    if (replaced) text = documentLine(++next, data);
    else for (const [list, key, record] of pending.values()) text += changeLine(++next, list, key, record);
    try {
      writer.append(text);
    } catch (err) {
      // Nothing is dropped: the changes stay pending for the next flush.
      throw new StoreError(`Cannot write the change journal ${changesFile}: ${(err as Error).message}`);
    }
    const wholeDocument = replaced;
    seq = next;
    pending.clear();
    replaced = false;
    journalBytes += text.length;
    if (sinceSnapshot !== null) sinceSnapshot += text;
    lastChange = performance.now();
    if (wholeDocument || journalBytes >= Math.max(minBytes, documentBytes / 2)) void checkpoint();
    else quietSoon();
  }

  function quietSoon() {
    if (quietTimer || closing || quietMs === Infinity) return;
    const wait = (ms: number) => {
      quietTimer = setTimeout(() => {
        const idle = performance.now() - lastChange;
        if (idle < quietMs) return wait(quietMs - idle);
        quietTimer = null;
        void checkpoint();
      }, ms);
      quietTimer.unref();
    };
    wait(quietMs);
  }

  /** One checkpoint at a time; it starts on the next turn, after the response that asked for it. */
  function checkpoint(): Promise<void> {
    if (closing) return Promise.resolve();
    running ??= nextTurn().then(runCheckpoint).finally(() => {
      running = null;
      // What came while it ran goes in after the next quiet moment (or sooner, by size).
      if (seq !== onDisk) quietSoon();
    });
    return running;
  }

  async function runCheckpoint() {
    try {
      const watch = new Stopwatch('checkpoint');
      flush();
      if (seq === onDisk) return;
      const [from, upTo] = [onDisk, seq];
      data.appliedChanges = upTo;
      sinceSnapshot = '';
      const bytes = await document.writeInBackground((work) => watch.yieldTo(work));
      // Synchronous from here: no append can come between the tail and the swap.
      trimJournal(upTo, bytes, sinceSnapshot);
      watch.done(upTo - from);
    } catch (err) {
      log(`Writing the store file ${file} failed (the change journal keeps every change): ${(err as Error).message}`);
    } finally {
      sinceSnapshot = null;
    }
  }

  function trimJournal(upTo: number, bytes: number, tail: string) {
    writer!.startRewrite().commit(tail);
    onDisk = upTo;
    documentBytes = bytes;
    journalBytes = tail.length;
  }

  function checkpointNow() {
    if (!writer) return;
    flush();
    data.appliedChanges = seq;
    document.write();
    trimJournal(seq, statSync(file!).size, '');
  }

  // A journal replayed at start-up goes into db.json once the start-up's own changes are in.
  if (seq !== onDisk) quietSoon();

  return {
    data,
    legacy: document.legacy,
    changesFile,
    recordChanged: (list, record) => track(list, record, false),
    recordRemoved: (list, record) => track(list, record, true),
    documentChanged() {
      if (!writer || closed) return;
      replaced = true;
      flushSoon();
    },
    flush,
    checkpoint,
    checkpointNow,
    async close() {
      closing = true;
      if (quietTimer) clearTimeout(quietTimer);
      quietTimer = null;
      await running;
      if (writer && !closed) {
        flush();
        if (seq !== onDisk) checkpointNow();
        writer.close();
      }
      closed = true;
    },
  };
}
