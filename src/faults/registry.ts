// The live fault rules of one mock instance, and the decision whether one fires for a request.
import { isoMicros } from '../clock.js';
import { randomBase64url } from '../crypto/random.js';
import { ruleMatches, seededRandom, type FaultRule, type FaultSpec, type RequestFacts } from './rules.js';

export interface FaultRegistry {
  add(spec: FaultSpec): FaultRule;
  list(): FaultRule[];
  remove(id: string): boolean;
  clear(): void;
  /** True when no rule could ever fire (the fast path for every request). */
  idle(): boolean;
  /** Whether any live rule filters on the user (computing the user costs a lookup). */
  needsUser(): boolean;
  /** The first live rule matching these facts that decides to fire; counts the firing. */
  fire(facts: RequestFacts): FaultRule | undefined;
}

const live = (r: FaultRule) => r.times === undefined || r.times === null || r.fired < r.times;

export function createFaultRegistry(nowMs: () => number): FaultRegistry {
  let rules: FaultRule[] = [];
  const dice = new Map<string, () => number>();
  return {
    add(spec) {
      const rule: FaultRule = { id: randomBase64url(9), ...spec, fired: 0, created_at: isoMicros(nowMs()) };
      rules.push(rule);
      if (spec.probability !== undefined) dice.set(rule.id, seededRandom(spec.seed ?? 0));
      return rule;
    },
    list: () => rules.map((r) => ({ ...r })),
    remove(id) {
      const before = rules.length;
      rules = rules.filter((r) => r.id !== id);
      dice.delete(id);
      return rules.length < before;
    },
    clear() {
      rules = [];
      dice.clear();
    },
    idle: () => !rules.some(live),
    needsUser: () => rules.some((r) => live(r) && r.user !== undefined),
    fire(facts) {
      for (const rule of rules) {
        if (!live(rule) || !ruleMatches(rule, facts)) continue;
        const roll = dice.get(rule.id);
        if (roll && roll() >= rule.probability!) continue;
        rule.fired++;
        return rule;
      }
      return undefined;
    },
  };
}
