#!/usr/bin/env node
// docs/fidelity.md is generated from fidelity/ledger.json: one row per observable fact of the
// reference, what each profile does, and the tests that prove it. The ledger test checks the rows
// (named tests exist, every profile field has a row) and that the page is up to date.
//
//   node scripts/fidelity.js          rewrite docs/fidelity.md
//   node scripts/fidelity.js --check  exit 1 when docs/fidelity.md is out of date
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const LEDGER_FILE = join(ROOT, 'fidelity', 'ledger.json');
export const PAGE_FILE = join(ROOT, 'docs', 'fidelity.md');

export function readLedger() {
  return JSON.parse(readFileSync(LEDGER_FILE, 'utf8'));
}

/** `test/foo.test.ts > title` → { file, title }. */
export function parseTestRef(ref) {
  const at = ref.indexOf(' > ');
  return at < 0 ? { file: ref, title: '' } : { file: ref.slice(0, at), title: ref.slice(at + 3) };
}

const cell = (text) => String(text ?? '').replace(/\|/g, '\\|').replace(/\n/g, ' ');

function testCell(refs) {
  return refs
    .map((ref) => {
      const { file, title } = parseTestRef(ref);
      return `[${file.replace(/^test\//, '')}](../${file}) “${cell(title)}”`;
    })
    .join('<br>');
}

/** Pure: the whole page for a ledger. */
export function renderLedger(ledger) {
  const out = [
    '# Fidelity ledger',
    '',
    '<!-- Generated from fidelity/ledger.json by `npm run fidelity`. Do not edit by hand. -->',
    '',
    ledger.intro,
    '',
  ];
  const gaps = ledger.rows.filter((r) => r.gap);
  if (gaps.length > 0) {
    out.push('## Deliberate differences from the real server', '');
    for (const r of gaps) out.push(`- **${cell(r.fact)}** (${r.ref.join(', ')}): ${r.gap}`);
    out.push('');
  }
  for (const section of ledger.sections) {
    const rows = ledger.rows.filter((r) => r.section === section.id);
    out.push(`## ${section.title}`, '');
    if (section.note) out.push(section.note, '');
    out.push('| Fact | Reference | `documented` | `production` | Profile field | Proved by |', '|---|---|---|---|---|---|');
    for (const r of rows) {
      const fields = (r.profile ?? []).map((f) => `\`${f}\``).join(' ');
      out.push(`| ${cell(r.fact)} | ${cell(r.ref.join(', '))} | ${cell(r.documented)} | ${cell(r.production)} | ${fields} | ${testCell(r.tests)} |`);
    }
    out.push('');
  }
  return out.join('\n');
}

function main(argv) {
  const page = renderLedger(readLedger());
  if (argv.includes('--check')) {
    let current = '';
    try {
      current = readFileSync(PAGE_FILE, 'utf8');
    } catch {
      // missing counts as out of date
    }
    if (current !== page) {
      console.error('docs/fidelity.md is out of date: run `npm run fidelity`.');
      process.exitCode = 1;
    }
    return;
  }
  writeFileSync(PAGE_FILE, page);
  console.log(`wrote ${PAGE_FILE}`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main(process.argv.slice(2));
