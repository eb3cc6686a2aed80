// The store's files as a restart would read them: db.json with the change journal beside it applied.
import { readFileSync } from 'node:fs';
import { CHANGE_JOURNAL, changesPathFor, replayChanges } from '../../src/store/changes.js';
import { readJournalLines } from '../../src/store/journal.js';
import { emptyStore, type StoreData } from '../../src/store/schema.js';

/**
 * The durable state on disk for the lowdb file `file`. The journal is read first: a checkpoint
 * landing between the two reads then only repeats changes db.json already has.
 */
export function durableState(file: string): StoreData {
  const journal = changesPathFor(file);
  const lines = readJournalLines(journal, CHANGE_JOURNAL, (warning) => {
    throw new Error(warning);
  });
  let onDisk: Partial<StoreData> = {};
  try {
    onDisk = JSON.parse(readFileSync(file, 'utf8')) as StoreData;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const data = { ...emptyStore(), ...onDisk };
  replayChanges(data, lines, journal);
  return data;
}
