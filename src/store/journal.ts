// The token journal: an append-only JSON Lines file beside the lowdb file. The first line names
// the format; every other line is `[table, record]` (put; the record holds its key), `[table,
// key]` (deleted) or `["reset"]` (every table emptied).
// Replaying the lines in order gives the token tables; a compaction rewrites the file as one line
// per live record (temporary file + rename) without stopping appends.
import { close, closeSync, fstatSync, ftruncateSync, openSync, readFileSync, renameSync, write, writeSync } from 'node:fs';
import { promisify } from 'node:util';
import { StoreError } from './errors.js';
import { TABLES, type Table, type TokenRecords } from './token-tables.js';

/** What a journal file is: its first line, and how messages name it. */
export interface JournalKind {
  header: string;
  /** e.g. `token journal` */
  name: string;
  /** What deleting the file loses, for the message that stops the server. */
  deleting: string;
}

export const TOKEN_JOURNAL: JournalKind = {
  header: '{"glossiaMockTokens":1}',
  name: 'token journal',
  deleting: 'that forgets every code and token, not clients or API data',
};
const writeAsync = promisify(write) as (fd: number, text: string) => Promise<{ bytesWritten: number }>;

export type JournalEntry = readonly ['reset'] | readonly [Table, TokenRecords[Table] | string];

/** The journal path for a lowdb file: `db.json` → `db.tokens.jsonl`. */
export function journalPathFor(dataFile: string): string {
  return `${dataFile.replace(/\.json$/i, '')}.tokens.jsonl`;
}

export function entryLine(entry: JournalEntry): string {
  return `${JSON.stringify(entry)}\n`;
}

const isTable = (v: unknown): v is Table => typeof v === 'string' && (TABLES as readonly string[]).includes(v);

/** The entry a parsed line holds, or null if it holds none. */
function toEntry(value: unknown): JournalEntry | null {
  if (!Array.isArray(value)) return null;
  if (value.length === 1 && value[0] === 'reset') return ['reset'];
  const [table, item] = value as unknown[];
  if (value.length !== 2 || !isTable(table)) return null;
  if (typeof item === 'string') return [table, item];
  const record = item as Partial<TokenRecords[Table]> | null;
  if (!record || typeof record !== 'object' || typeof record.key !== 'string' || typeof record.expiresAt !== 'number') return null;
  return value as unknown as JournalEntry;
}

/** A StoreError for a damaged journal: the server stops and the file stays as it is. */
export function corruptJournal(kind: JournalKind, path: string, why: string): StoreError {
  return new StoreError(
    `The ${kind.name} ${path} ${why}. It was left untouched; move it aside or delete it (${kind.deleting}), or run with --in-memory.`,
  );
}

/** A journal file's bytes after its header line, up to and including its last newline. */
interface JournalBody {
  buf: Buffer;
  /** Offset of the first record line. */
  start: number;
  /** Offset just past the last complete line. */
  end: number;
}

/**
 * Reads the journal at `path` (null if it does not exist). A torn last line (a crash in the middle
 * of an append) is cut off with a warning; a missing header is a StoreError and the file is left as
 * it is.
 */
function readJournalBody(path: string, kind: JournalKind, warn: (message: string) => void): JournalBody | null {
  let buf: Buffer;
  try {
    buf = readFileSync(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new StoreError(`Cannot read the ${kind.name} ${path}: ${(err as Error).message}`);
  }
  const end = buf.lastIndexOf(0x0a) + 1;
  if (end < buf.length) {
    warn(`The ${kind.name} ${path} ends in an incomplete record (the process was killed while writing it); that record was skipped.`);
    const fd = openSync(path, 'r+');
    try {
      ftruncateSync(fd, end);
    } finally {
      closeSync(fd);
    }
  }
  if (end === 0) return null;
  const headerEnd = buf.indexOf(0x0a);
  if (buf.toString('utf8', 0, headerEnd) !== kind.header) throw corruptJournal(kind, path, 'does not start with the journal header');
  return { buf, start: headerEnd + 1, end };
}

/** The record lines of the journal at `path` (none if it does not exist), after its header; see readJournalBody. */
export function readJournalLines(path: string, kind: JournalKind, warn: (message: string) => void): string[] {
  const body = readJournalBody(path, kind, warn);
  if (!body || body.start >= body.end) return [];
  return body.buf.toString('utf8', body.start, body.end - 1).split('\n');
}

/** Bytes of journal parsed at once: big enough that JSON.parse's per-call cost vanishes, small enough to stay out of V8's large-object space. */
const REPLAY_CHUNK_BYTES = 64 * 1024;

/**
 * Replays the token journal at `path`, entry by entry in file order, into `apply`; the number of
 * entries. Lines are parsed a chunk at a time as one JSON array (a third less CPU than a
 * JSON.parse per line, and no array of every entry); a chunk that does not parse as exactly one
 * entry per line is parsed again line by line to name the bad line. Anything that is not an entry
 * is a StoreError and the file is left as it is.
 */
export function replayJournal(path: string, warn: (message: string) => void, apply: (entry: JournalEntry) => void): number {
  const body = readJournalBody(path, TOKEN_JOURNAL, warn);
  if (!body) return 0;
  const { buf, end } = body;
  let start = body.start;
  /** Line number (1-based, header included) of the chunk's first line. */
  let line = 2;
  let entries = 0;
  while (start < end) {
    let stop = buf.lastIndexOf(0x0a, Math.min(end - 1, start + REPLAY_CHUNK_BYTES));
    if (stop < start) stop = buf.indexOf(0x0a, start);
    const text = buf.toString('utf8', start, stop);
    const lines = countLines(buf, start, stop);
    let values: unknown[] | null = null;
    try {
      values = JSON.parse(`[${text.replaceAll('\n', ',')}]`) as unknown[];
    } catch {
      values = null;
    }
    if (values === null || values.length !== lines) values = text.split('\n').map((l, i) => parseLine(l, path, line + i));
    for (let i = 0; i < values.length; i++) {
      const entry = toEntry(values[i]);
      if (!entry) throw invalidLine(path, line + i);
      apply(entry);
    }
    entries += values.length;
    line += lines;
    start = stop + 1;
  }
  return entries;
}

function countLines(buf: Buffer, start: number, stop: number): number {
  let n = 1;
  for (let i = buf.indexOf(0x0a, start); i !== -1 && i < stop; i = buf.indexOf(0x0a, i + 1)) n++;
  return n;
}

const invalidLine = (path: string, line: number) => corruptJournal(TOKEN_JOURNAL, path, `has an invalid record on line ${line}`);

function parseLine(text: string, path: string, line: number): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw invalidLine(path, line);
  }
}

/**
 * Appends to the journal, and swaps in a compacted copy. Appends are synchronous: a few hundred
 * bytes into the page cache take microseconds, less than a round trip through libuv's thread pool,
 * and no append can interleave with the swap.
 */
export class JournalWriter {
  private fd: number;
  /** Bytes in the file now. */
  size: number;

  constructor(
    readonly path: string,
    private readonly header: string = TOKEN_JOURNAL.header,
  ) {
    this.fd = openSync(path, 'a');
    this.size = fstatSync(this.fd).size;
    if (this.size === 0) this.append(`${header}\n`);
  }

  /** Returns once the text has reached the operating system. */
  append(text: string): void {
    if (!text) return;
    writeSync(this.fd, text);
    this.size += Buffer.byteLength(text);
  }

  /** A compaction target: the header written, chunks appended with `write`, swapped in with `commit`. */
  startRewrite(): Rewrite {
    const tmp = `${this.path}.tmp`;
    const fd = openSync(tmp, 'w');
    let size = 0;
    let open = true;
    const put = (text: string) => {
      writeSync(fd, text);
      size += Buffer.byteLength(text);
    };
    put(`${this.header}\n`);
    const closeTmp = () => {
      if (open) closeSync(fd);
      open = false;
    };
    return {
      write: async (text) => {
        if (!text) return;
        size += Buffer.byteLength(text);
        await writeAsync(fd, text);
      },
      commit: (tail) => {
        put(tail);
        closeTmp();
        renameSync(tmp, this.path);
        // Closing the replaced file frees it (tens of MB): 30-75 ms measured when done here, so
        // the thread pool does it.
        close(this.fd, () => undefined);
        this.fd = openSync(this.path, 'a');
        this.size = size;
        return size;
      },
      abandon: closeTmp,
    };
  }

  close(): void {
    closeSync(this.fd);
  }
}

export interface Rewrite {
  /** Appends a chunk of the snapshot (asynchronously: a compaction yields to requests). */
  write(text: string): Promise<void>;
  /** Appends `tail` (what changed during the rewrite) and replaces the journal; the new size. */
  commit(tail: string): number;
  abandon(): void;
}
