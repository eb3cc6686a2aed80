// The token journal: an append-only JSON Lines file beside the lowdb file. The first line names
// the format; every other line is `[table, record]` (put; the record holds its key), `[table,
// key]` (deleted) or `["reset"]` (every table emptied).
// Replaying the lines in order gives the token tables; a compaction rewrites the file as one line
// per live record (temporary file + rename) without stopping appends.
import { closeSync, fstatSync, ftruncateSync, openSync, readFileSync, renameSync, write, writeSync } from 'node:fs';
import { promisify } from 'node:util';
import { StoreError } from './errors.js';
import { TABLES, type Table, type TokenRecords } from './token-tables.js';

const HEADER = '{"glossiaMockTokens":1}';
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

function parseEntry(line: string): JournalEntry | null {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return null;
  }
  if (!Array.isArray(value)) return null;
  if (value.length === 1 && value[0] === 'reset') return ['reset'];
  const [table, item] = value as unknown[];
  if (value.length !== 2 || !isTable(table)) return null;
  if (typeof item === 'string') return [table, item];
  const record = item as Partial<TokenRecords[Table]> | null;
  if (!record || typeof record !== 'object' || typeof record.key !== 'string' || typeof record.expiresAt !== 'number') return null;
  return [table, record as TokenRecords[Table]];
}

/**
 * Reads every entry of the journal at `path` (none if it does not exist). A torn last line (a
 * crash in the middle of an append) is cut off with a warning; anything else that does not parse
 * is a StoreError and the file is left as it is.
 */
export function readJournal(path: string, warn: (message: string) => void): JournalEntry[] {
  let buf: Buffer;
  try {
    buf = readFileSync(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new StoreError(`Cannot read the token journal ${path}: ${(err as Error).message}`);
  }
  const corrupt = (why: string) =>
    new StoreError(
      `The token journal ${path} ${why}. It was left untouched; move it aside or delete it (that forgets every code and token, not clients or API data), or run with --in-memory.`,
    );
  const end = buf.lastIndexOf(0x0a) + 1;
  if (end < buf.length) {
    warn(`The token journal ${path} ends in an incomplete record (the process was killed while writing it); that record was skipped.`);
    const fd = openSync(path, 'r+');
    try {
      ftruncateSync(fd, end);
    } finally {
      closeSync(fd);
    }
  }
  if (end === 0) return [];
  const lines = buf.toString('utf8', 0, end - 1).split('\n');
  if (lines[0] !== HEADER) throw corrupt('does not start with the journal header');
  const entries: JournalEntry[] = [];
  for (let i = 1; i < lines.length; i++) {
    const entry = parseEntry(lines[i]!);
    if (!entry) throw corrupt(`has an invalid record on line ${i + 1}`);
    entries.push(entry);
  }
  return entries;
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

  constructor(readonly path: string) {
    this.fd = openSync(path, 'a');
    this.size = fstatSync(this.fd).size;
    if (this.size === 0) this.append(`${HEADER}\n`);
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
    put(`${HEADER}\n`);
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
        closeSync(this.fd);
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
