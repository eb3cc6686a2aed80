// What a conformance check is. Each one reads a client's journal entries oldest first, keeping a
// little state of its own (bounded), and says for each entry whether the rule applies and holds.
import type { JournalRecord } from '../journal/journal.js';

export type Level = 'fail' | 'warn';
export type Status = 'pass' | Level | 'not_observed';

/** What a check knows about the client and the instance, besides the entries. */
export interface ClientInfo {
  public: boolean;
  redirectUris: readonly string[];
}

export interface Settings {
  /** The profile's scope for a request without one: asking for it costs nothing. */
  defaultScope: string;
  /** Device-flow polling interval, seconds. */
  deviceInterval: number;
  /** Registered redirect URIs may hold `*` wildcards (the production profile). */
  redirectUriWildcards: boolean;
}

/** A journal entry as the checks read it: the record and its journal id. */
export type Observed = JournalRecord & { readonly id: number };

/** One entry as a check sees it: with its time in ms and who sent it. */
export interface Seen {
  e: Observed;
  t: number;
  client: ClientInfo;
  settings: Settings;
}

/** undefined: the rule does not apply to this entry; 'pass': it applies and holds; a string: broken, and why. */
export type Verdict = undefined | 'pass' | string;

/** A verdict over the whole run, for rules about what a client never did. */
export type Conclusion = undefined | 'pass' | { note: string; entries: readonly Observed[] };

export interface Check<S = unknown> {
  /** Stable, e.g. `pkce.s256`. */
  readonly id: string;
  readonly level: Level;
  /** One line, saying what a correct client does. */
  readonly title: string;
  /** Where the rule comes from: RFC section or guide step. */
  readonly reference: string;
  init(): S;
  observe(state: S, seen: Seen): Verdict;
  /** Rules decided at the end (e.g. "never revoked"); their word replaces what observe counted. */
  conclude?(state: S): Conclusion;
}

/** Declares a check with its state type inferred from init. */
export const check = <S>(c: Check<S>): Check<S> => c;
