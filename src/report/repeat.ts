// The shape of several rules: a credential that a request has marked (used, rotated, refused) must
// not be presented again. Each such check remembers the latest marks per client (bounded).
import { remember, type BoundedMap } from './bounded.js';
import { check, type Check, type Level, type Observed } from './check.js';

export interface NoRepeatRule {
  id: string;
  level: Level;
  title: string;
  reference: string;
  /** The fingerprint of the credential the rule is about, when the entry presents one. */
  credential(e: Observed): string | undefined;
  /** Whether this entry marks its credential as not to be presented again. */
  marks(e: Observed): boolean;
  /** Why presenting it again is wrong, given the request that marked it. */
  note(markedBy: number): string;
}

export function noRepeat(rule: NoRepeatRule): Check<BoundedMap<string, number>> {
  return check({
    id: rule.id,
    level: rule.level,
    title: rule.title,
    reference: rule.reference,
    // credential → the request that marked it
    init: () => remember<string, number>(),
    observe(marked, { e }) {
      const credential = rule.credential(e);
      if (credential === undefined) return undefined;
      const by = marked.get(credential);
      if (rule.marks(e)) marked.set(credential, e.id);
      return by === undefined ? 'pass' : rule.note(by);
    },
  });
}
