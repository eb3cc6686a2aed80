// The offline stand-in for the model behind POST /api/:handle/translate (reference 9.12): a
// deterministic pseudo-localisation. Letters become accented look-alikes ("Hello" → "Ĥéļļö") and
// every translated line or value starts with the target locale in brackets ("[es] Ĥéļļö"), so a
// client can see that text went through the route without a model. What a real translation must
// keep survives byte for byte: placeholders ({name}, {{x}}, %s, %(n)d, ICU plural/select
// arguments and selectors), HTML tags and entities, Markdown syntax, code spans and fences, URLs.
// Glossary terms come out as the account's translation for the locale, or untouched when it has
// none. Each format keeps its structure: JSON and YAML keys, PO msgids, Markdown block syntax.
// Everything here is pure; YAML is parsed by the `yaml` package's CST, which rewrites one scalar
// and leaves the rest of the file (comments, anchors, indentation) as it was.

import type { CST as YamlCst } from 'yaml';

type YamlToken = YamlCst.Token;

export const FORMATS = ['markdown', 'json', 'yaml', 'po', 'text'] as const;
export type Format = (typeof FORMATS)[number];

/** A glossary entry as seen for the target locale: its translation there, if any. */
export interface Term {
  term: string;
  case_sensitive: boolean;
  translation: string | null;
}

export interface PseudoOptions {
  locale: string;
  terms: readonly Term[];
}

/** The source is not valid in its declared format, so its structure cannot be kept. */
export class UnparsableSource extends Error {}

const PLAIN = [...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'];
const ACCENTED = [...'åƀçðéƒĝĥîĵķļɱñöþǫŕšţûṽŵẋýžÅƁÇÐÉƑĜĤÎĴĶĻṀÑÖÞǪŔŠŢÛṼŴẊÝŽ'];
const ACCENT = new Map(PLAIN.map((c, i) => [c, ACCENTED[i]!]));

export const accent = (text: string): string => text.replace(/[A-Za-z]/g, (c) => ACCENT.get(c)!);

// Spans kept verbatim wherever they appear in a line or value (tried in this order at each position).
const KEPT: readonly RegExp[] = [
  /`+[^`]*?`+/y, // code span (a lone backtick is text)
  /<!--[\s\S]*?-->/y,
  /<\/?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?\/?>/y, // HTML tag
  /<(?:https?|mailto):[^\s<>]*>/y, // autolink
  /&(?:[A-Za-z][A-Za-z0-9]*|#\d+|#[xX][0-9A-Fa-f]+);/y, // entity
  /https?:\/\/[^\s)"'<>]+/y,
  /\]\([^)]*\)/y, // Markdown link or image target
  /\]\[[^\]]*\]/y, // Markdown reference label
  /\{\{[^{}\n]+\}\}/y, // {{x}}
  /%\([A-Za-z_]\w*\)[-+0#]*\d*(?:\.\d+)?[diouxXeEfFgGcrs]/y, // %(name)s
  /%(?:\d+\$)?[-+0#']*(?:\d+|\*)?(?:\.(?:\d+|\*))?(?:hh|h|ll|l|L|z|j|t)?[diouxXeEfFgGaAcsp@%]/y, // printf
];

/** The characters a KEPT span can start with (most positions need no regex at all). */
const KEPT_STARTS = '`<&h]{%';

const WORD_EDGE = '[\\p{L}\\p{N}_]';
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

interface Inline {
  out: string;
  /** Index where scanning stopped (the unmatched `}` of an ICU message, else the end). */
  end: number;
  /** Some text (a letter outside the kept spans) was translated. */
  translated: boolean;
}

/** Translates lines and values for one target locale and glossary. */
export class PseudoTranslator {
  private readonly terms: RegExp | null;
  private readonly marker: string;

  constructor(private readonly opts: PseudoOptions) {
    this.marker = `[${opts.locale}] `;
    const alternatives = opts.terms
      .map((t) => t.term)
      .filter((t) => t.trim() !== '')
      .sort((a, b) => b.length - a.length)
      .map(escapeRegExp);
    this.terms = alternatives.length ? new RegExp(`(?<!${WORD_EDGE})(?:${alternatives.join('|')})(?!${WORD_EDGE})`, 'giu') : null;
  }

  /** One value (a JSON/YAML string, a PO msgstr, a line of text): marked when anything was translated. */
  value(source: string): string {
    const r = this.inline(source);
    if (!r.translated) return source;
    const lead = /^\s*/.exec(r.out)![0];
    return lead + this.marker + r.out.slice(lead.length);
  }

  /** `source` from `from`, keeping the spans of KEPT and placeholders; `nested` stops at an unmatched `}`. */
  inline(source: string, from = 0, nested = false): Inline {
    let out = '';
    let text = '';
    let translated = false;
    const flush = () => {
      if (/\p{L}/u.test(text)) translated = true;
      out += this.text(text);
      text = '';
    };
    let i = from;
    scan: while (i < source.length) {
      const c = source[i]!;
      if (nested && c === '}') break;
      if (KEPT_STARTS.includes(c))
        for (const re of KEPT) {
          re.lastIndex = i;
          const m = re.exec(source);
          if (m) {
            flush();
            out += m[0];
            i += m[0].length;
            continue scan;
          }
        }
      if (c === '{') {
        const icu = this.icu(source, i);
        if (icu) {
          flush();
          out += icu.out;
          translated ||= icu.translated;
          i = icu.end;
          continue;
        }
      }
      text += c;
      i++;
    }
    flush();
    return { out, end: i, translated };
  }

  /**
   * `{name}`, `{n, number}`, or `{n, plural|select|selectordinal, sel {message} …}` at `at`: the
   * argument, type and selectors are kept, the messages translated. Null when it is not one.
   */
  private icu(source: string, at: number): Inline | null {
    const head = /\{\s*[^\s{},]+\s*(?:\}|,\s*([A-Za-z]+)\s*(\}|,))/y;
    head.lastIndex = at;
    const m = head.exec(source);
    if (!m) return null;
    const type = m[1];
    if (type === undefined || m[2] === '}') return { out: m[0], end: at + m[0].length, translated: false };
    if (!['plural', 'select', 'selectordinal'].includes(type)) {
      const close = source.indexOf('}', at + m[0].length);
      return close < 0 ? null : { out: source.slice(at, close + 1), end: close + 1, translated: false };
    }
    let out = m[0];
    let i = at + m[0].length;
    let translated = false;
    const selector = /\s*(?:offset:\s*\d+\s*)?(?:=\d+|[^\s{}]+)\s*\{/y;
    for (;;) {
      const close = /\s*\}/y;
      close.lastIndex = i;
      const end = close.exec(source);
      if (end) return { out: out + end[0], end: i + end[0].length, translated };
      selector.lastIndex = i;
      const sel = selector.exec(source);
      if (!sel) return null;
      const message = this.inline(source, i + sel[0].length, true);
      if (source[message.end] !== '}') return null;
      out += sel[0] + message.out + '}';
      translated ||= message.translated;
      i = message.end + 1;
    }
  }

  /** Plain text: glossary terms become their translation (or stay as written), the rest is accented. */
  private text(text: string): string {
    if (!this.terms || text === '') return accent(text);
    let out = '';
    let last = 0;
    for (const m of text.matchAll(this.terms)) {
      const hit = m[0];
      const term = this.opts.terms.find((t) => (t.case_sensitive ? t.term === hit : t.term.toLowerCase() === hit.toLowerCase()));
      if (!term) continue;
      out += accent(text.slice(last, m.index)) + rendered(term, hit);
      last = m.index + hit.length;
    }
    return out + accent(text.slice(last));
  }
}

/** A term's translation, capitalised like the source when the match is case-insensitive. */
function rendered(term: Term, hit: string): string {
  const t = term.translation;
  if (t === null) return hit;
  const upper = (s: string) => s !== s.toLowerCase();
  return !term.case_sensitive && upper(hit[0]!) && !upper(t[0] ?? '') ? t[0]!.toUpperCase() + t.slice(1) : t;
}

/** Splits keeping each line's terminator, so CRLF and a missing final newline survive. */
const linesOf = (source: string): string[] => source.match(/[^\n]*\n|[^\n]+$/g) ?? [];
const chomp = (line: string): [string, string] => {
  const eol = /\r?\n$/.exec(line)?.[0] ?? '';
  return [line.slice(0, line.length - eol.length), eol];
};

function text(source: string, t: PseudoTranslator): string {
  return linesOf(source)
    .map((line) => {
      const [body, eol] = chomp(line);
      return t.value(body) + eol;
    })
    .join('');
}

// A Markdown line's block syntax: indentation, quote markers, then a heading, list or task marker.
const BLOCK_PREFIX = /^\s*(?:>\s?)*\s*(?:#{1,6}(?=\s|$)\s*|[-*+]\s+(?:\[[ xX]\]\s+)?|\d{1,9}[.)]\s+)?/;
const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const LINK_DEFINITION = /^ {0,3}\[[^\]]+\]:\s/;

async function markdown(source: string, t: PseudoTranslator): Promise<string> {
  const lines = linesOf(source);
  let out = '';
  let start = 0;
  if (chomp(lines[0] ?? '')[0] === '---') {
    const close = lines.findIndex((l, i) => i > 0 && ['---', '...'].includes(chomp(l)[0]));
    if (close > 0) {
      const frontMatter = lines.slice(1, close).join('');
      // Front matter that is not YAML is kept as it is, like any block the stand-in cannot read.
      const translated = await yaml(frontMatter, t).catch((err: unknown) => {
        if (err instanceof UnparsableSource) return frontMatter;
        throw err;
      });
      out = lines[0]! + translated + lines[close]!;
      start = close + 1;
    }
  }
  let fence: string | null = null;
  let comment = false;
  for (const line of lines.slice(start)) {
    const [body, eol] = chomp(line);
    if (fence !== null) {
      if (body.trim().startsWith(fence) && body.trim().replaceAll(fence[0]!, '') === '') fence = null;
      out += line;
    } else if (comment) {
      comment = !body.includes('-->');
      out += line;
    } else if (FENCE.test(body)) {
      fence = FENCE.exec(body)![1]!;
      out += line;
    } else if (LINK_DEFINITION.test(body)) {
      out += line;
    } else if (/^\s*<!--/.test(body) && !body.includes('-->')) {
      comment = true;
      out += line;
    } else if (/^\s*\|/.test(body)) {
      out += t.inline(body).out + eol; // a table row: a marker would break the table
    } else {
      const prefix = BLOCK_PREFIX.exec(body)![0];
      out += prefix + t.value(body.slice(prefix.length)) + eol;
    }
  }
  return out;
}

/** JSON: every string that is not a key is translated in place; whitespace and key order stay as sent. */
function json(source: string, t: PseudoTranslator): string {
  try {
    JSON.parse(source);
  } catch (err) {
    throw new UnparsableSource(`json: ${(err as Error).message}`);
  }
  return source.replace(/"(?:[^"\\]|\\.)*"(\s*:)?/g, (literal: string, colon: string | undefined) => {
    if (colon) return literal;
    const value = JSON.parse(literal) as string;
    const translated = t.value(value);
    return translated === value ? literal : JSON.stringify(translated);
  });
}

/** YAML: string scalars that are values (not keys) are translated; numbers, booleans, nulls, aliases stay. */
async function yaml(source: string, t: PseudoTranslator): Promise<string> {
  const { CST, Parser, parse, parseAllDocuments } = await import('yaml');
  const problem = parseAllDocuments(source).flatMap((d) => ('errors' in d ? d.errors : []))[0];
  if (problem) throw new UnparsableSource(`yaml: ${problem.message.split('\n')[0]}`);
  const parsePlain = (value: string): unknown => {
    try {
      return parse(value);
    } catch {
      return value;
    }
  };
  const rewrite = (token: YamlToken, inFlow: boolean, afterKey: boolean) => {
    if (!CST.isScalar(token)) return;
    const scalar = CST.resolveAsScalar(token);
    // A plain scalar may be a number, boolean or null under the core schema: only strings are text.
    if (token.type === 'scalar' && typeof parsePlain(scalar.value) !== 'string') return;
    const translated = t.value(scalar.value);
    if (translated !== scalar.value) CST.setScalarValue(token, translated, { inFlow, afterKey });
  };
  let out = '';
  for (const token of new Parser().parse(source)) {
    if (token.type === 'document' && token.value) {
      const doc = token;
      CST.visit(doc, (item, path) => {
        // The empty path is the document itself: its value is a scalar only when the file is one string.
        if (path.length === 0) return void (item.value && rewrite(item.value, false, false));
        const inFlow = CST.visit.parentCollection(doc, path).type === 'flow-collection';
        if (item.value) rewrite(item.value, inFlow, item.key !== undefined && item.key !== null);
      });
    }
    out += CST.stringify(token);
  }
  return out;
}

// Gettext PO: msgid (and msgctxt) are the keys; each msgstr is written from its msgid, the header
// gets the target Language and the Plural-Forms Glossia asks the model for.
const PO_FIELD = /^(msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)\s+("(?:[^"\\]|\\.)*")\s*$/;
const PO_CONTINUATION = /^\s*("(?:[^"\\]|\\.)*")\s*$/;
const PO_ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '"': '"', '\\': '\\' };

const poDecode = (literal: string) => literal.slice(1, -1).replace(/\\(.)/g, (_, c: string) => PO_ESCAPES[c] ?? c);
const poEncode = (value: string) => `"${value.replace(/[\\"\n\t\r]/g, (c) => ({ '\n': '\\n', '\t': '\\t', '\r': '\\r' })[c] ?? `\\${c}`)}"`;

/** Glossia's plural rules for the PO header (the ones its prompt names; others have two forms). */
export function pluralForms(locale: string): { count: number; rule: string } {
  const l = locale.replaceAll('-', '_');
  if (['ja', 'ko', 'yue_Hant', 'zh_Hans', 'zh_Hant'].includes(l)) return { count: 1, rule: 'nplurals=1; plural=0;' };
  if (l === 'ru')
    return { count: 3, rule: 'nplurals=3; plural=n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2;' };
  return { count: 2, rule: 'nplurals=2; plural=n != 1;' };
}

interface PoField {
  name: string;
  value: string;
  lines: string[];
}

/** `msgstr` lines for `value`, on one line unless its msgid used several. */
function poMsgstr(name: string, value: string, multiline: boolean, eol: string): string {
  if (!multiline) return `${name} ${poEncode(value)}${eol}`;
  const chunks = value.match(/[^\n]*\n|[^\n]+$/g) ?? [];
  return [`${name} ""`, ...chunks.map(poEncode)].map((l) => l + eol).join('');
}

function poHeader(header: string, locale: string): string {
  const set = (text: string, key: string, value: string) => {
    const line = new RegExp(`^${key}:.*$`, 'm');
    return line.test(text) ? text.replace(line, `${key}: ${value}`) : `${text}${text === '' || text.endsWith('\n') ? '' : '\n'}${key}: ${value}\n`;
  };
  return set(set(header, 'Language', locale), 'Plural-Forms', pluralForms(locale).rule);
}

function po(source: string, t: PseudoTranslator, locale: string): string {
  const lines = linesOf(source);
  const eol = lines[0] ? chomp(lines[0])[1] || '\n' : '\n';
  // Pieces in order: raw lines (comments, blanks) and entries (their fields).
  const pieces: (string | PoField[])[] = [];
  let entry: PoField[] | null = null;
  let field: PoField | null = null;
  lines.forEach((line, n) => {
    const [body] = chomp(line);
    const f = PO_FIELD.exec(body);
    const cont = PO_CONTINUATION.exec(body);
    if (f) {
      const name = f[1]!;
      // msgctxt, or a msgid not following a msgctxt, starts a new entry.
      const starts = name === 'msgctxt' || (name === 'msgid' && entry?.at(-1)?.name !== 'msgctxt');
      if (starts || !entry) pieces.push((entry = []));
      field = { name, value: poDecode(f[2]!), lines: [line] };
      entry.push(field);
    } else if (cont && field) {
      field.value += poDecode(cont[1]!);
      field.lines.push(line);
    } else if (body.trim() === '' || body.trimStart().startsWith('#')) {
      pieces.push(line);
      entry = null;
      field = null;
    } else throw new UnparsableSource(`po: line ${n + 1} is not a comment, keyword or string`);
  });
  return pieces
    .map((piece) => {
      if (typeof piece === 'string') return piece;
      const id = piece.find((f) => f.name === 'msgid');
      if (!id) throw new UnparsableSource('po: an entry has no msgid');
      const plural = piece.find((f) => f.name === 'msgid_plural');
      const keys = piece.filter((f) => !f.name.startsWith('msgstr')).flatMap((f) => f.lines);
      const multiline = id.lines.length > 1;
      let strings: string;
      if (id.value === '' && !piece.some((f) => f.name === 'msgctxt')) {
        const header = piece.find((f) => f.name === 'msgstr')?.value ?? '';
        strings = poMsgstr('msgstr', poHeader(header, locale), true, eol);
      } else if (plural) {
        strings = Array.from({ length: pluralForms(locale).count }, (_, k) =>
          poMsgstr(`msgstr[${k}]`, t.value(k === 0 ? id.value : plural.value), multiline, eol),
        ).join('');
      } else strings = poMsgstr('msgstr', t.value(id.value), multiline, eol);
      return keys.join('') + strings;
    })
    .join('');
}

/** Translates `source` as `format` for the locale and glossary of `opts`. */
export async function pseudoTranslate(source: string, format: Format, opts: PseudoOptions): Promise<string> {
  const t = new PseudoTranslator(opts);
  switch (format) {
    case 'markdown':
      return markdown(source, t);
    case 'json':
      return json(source, t);
    case 'yaml':
      return yaml(source, t);
    case 'po':
      return po(source, t, opts.locale);
    case 'text':
      return text(source, t);
  }
}
