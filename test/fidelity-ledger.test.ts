// The fidelity ledger (fidelity/ledger.json → docs/fidelity.md) is a claim per observable fact; this
// keeps the claims honest: every named test exists (not skipped), every field of the profile object
// has a row, every discrepancy of reference §16 has a row, and the page is the generator's output.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { documented, production } from '../src/profiles.js';
// @ts-expect-error -- plain-JS script without type declarations
import { PAGE_FILE, ROOT, parseTestRef, readLedger, renderLedger } from '../scripts/fidelity.js';

interface Row {
  id: string;
  section: string;
  fact: string;
  ref: string[];
  documented: string;
  production: string;
  profile?: string[];
  tests: string[];
  /** What the mock deliberately does differently, and its words in the production start-up line. */
  gap?: string;
  short?: string;
}
interface Ledger {
  intro: string;
  sections: { id: string; title: string }[];
  rows: Row[];
}

const ledger = readLedger() as Ledger;

/** Reference §16 numbers its guide-vs-server discrepancies 1…33. */
const SECTION_16_ROWS = 33;

/** Titles of the runnable tests of a file: string literals passed to it()/test() (not .skip/.todo). */
function testTitles(file: string): Set<string> {
  const source = readFileSync(join(ROOT, file), 'utf8');
  const titles = new Set<string>();
  const call = /\b(?:it|test)(?:\.(?:only|concurrent|sequential))?\(\s*(['"`])((?:\\.|(?!\1)[^\\])*)\1/g;
  for (const m of source.matchAll(call)) titles.add(m[2]!.replace(/\\(.)/g, '$1'));
  return titles;
}

/** Leaf paths of a profile: nested plain objects are walked, arrays and scalars are leaves. */
function leafPaths(value: unknown, prefix = ''): string[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [prefix];
  return Object.entries(value).flatMap(([k, v]) => leafPaths(v, prefix ? `${prefix}.${k}` : k));
}

describe('fidelity ledger', () => {
  it('every row is complete, with a unique id and a known section', () => {
    const sections = new Set(ledger.sections.map((s) => s.id));
    const ids = new Set<string>();
    for (const r of ledger.rows) {
      expect(ids.has(r.id), `duplicate id ${r.id}`).toBe(false);
      ids.add(r.id);
      expect(sections.has(r.section), `${r.id}: unknown section ${r.section}`).toBe(true);
      for (const key of ['fact', 'documented', 'production'] as const) expect(r[key], `${r.id}.${key}`).toMatch(/\S/);
      expect(r.ref.length, `${r.id}: no reference section`).toBeGreaterThan(0);
      // A row without a test must say why the mock deliberately differs.
      expect(r.tests.length > 0 || Boolean(r.gap), `${r.id}: neither a test nor a stated gap`).toBe(true);
    }
  });

  it('every test a row names exists in its file and is not skipped', () => {
    const cache = new Map<string, Set<string>>();
    const missing: string[] = [];
    for (const r of ledger.rows) {
      for (const ref of r.tests) {
        const { file, title } = parseTestRef(ref) as { file: string; title: string };
        if (!existsSync(join(ROOT, file))) {
          missing.push(`${r.id}: no file ${file}`);
          continue;
        }
        if (!cache.has(file)) cache.set(file, testTitles(file));
        if (!cache.get(file)!.has(title)) missing.push(`${r.id}: no test “${title}” in ${file}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('every field of the profile object has a row, and every field a row names exists', () => {
    const fields = leafPaths(documented).filter((f) => f !== 'name');
    expect(leafPaths(production).filter((f) => f !== 'name').sort()).toEqual([...fields].sort());
    const named = ledger.rows.flatMap((r) => r.profile ?? []);
    const covered = (field: string) => named.some((n) => field === n || field.startsWith(`${n}.`));
    expect(fields.filter((f) => !covered(f))).toEqual([]);
    const known = (n: string) => fields.some((f) => f === n || f.startsWith(`${n}.`));
    expect(named.filter((n) => !known(n))).toEqual([]);
  });

  it('every discrepancy of reference §16 has a row', () => {
    const cited = new Set(ledger.rows.flatMap((r) => r.ref.flatMap((ref) => [...ref.matchAll(/§16 #(\d+)/g)].map((m) => Number(m[1])))));
    const absent = Array.from({ length: SECTION_16_ROWS }, (_, i) => i + 1).filter((n) => !cited.has(n));
    expect(absent).toEqual([]);
  });

  it('the production start-up line names exactly the deliberate differences (rows with a gap)', () => {
    const gaps = ledger.rows.filter((r) => r.gap);
    expect(gaps.filter((r) => !r.short).map((r) => r.id)).toEqual([]);
    expect(gaps.map((r) => r.short).sort()).toEqual([...production.deliberateDifferences].sort());
  });

  it('docs/fidelity.md is generated from the ledger (npm run fidelity)', () => {
    expect(readFileSync(PAGE_FILE, 'utf8')).toBe(renderLedger(ledger));
  });
});
