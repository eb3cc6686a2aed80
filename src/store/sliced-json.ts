// The document's JSON text in pieces, so that rewriting a large db.json in the background never
// holds the event loop for long, and a diff of it shows one line per changed record. Objects are
// indented by one space; a list of records (an array, or an object whose members are all objects,
// such as the clients by id) has each record on one line:
//   {
//    "world": {
//     "projects": [
//      {"id":"…","handle":"web",…},
//      {"id":"…","handle":"docs",…}
//     ]
// The lists are copied (shallowly) when it starts: a record added or removed meanwhile cannot shift
// another out of the snapshot. A record changed in place meanwhile may be written in its newer
// state, which is harmless: its change is in the change journal after the snapshot's number, and
// replaying a change sets the whole record.

const INDENT = ' ';

const isPlainObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/** Members that JSON keeps (undefined ones are left out, as JSON.stringify does). */
const members = (o: Record<string, unknown>) => Object.entries(o).filter(([, v]) => v !== undefined);

/** A list of records: one per line. */
const isRecordList = (v: unknown): boolean =>
  Array.isArray(v) || (isPlainObject(v) && Object.keys(v).length > 0 && Object.values(v).every((m) => m === undefined || isPlainObject(m)));

/**
 * The text of `value` in pieces. The structure around the lists and the lists' items are taken
 * when this is called; each record is serialised when its piece is asked for.
 */
export function documentPieces(value: Record<string, unknown>): Iterable<string> {
  // Taken now: the tree of plain objects above the lists, and a copy of each list's items.
  type Node = { kind: 'object'; entries: [string, Node][] } | { kind: 'list'; items: [string | null, unknown][]; brackets: '[]' | '{}' } | { kind: 'value'; value: unknown };
  const take = (v: unknown): Node => {
    if (isRecordList(v))
      return Array.isArray(v)
        ? { kind: 'list', items: v.map((item) => [null, item]), brackets: '[]' }
        : { kind: 'list', items: members(v as Record<string, unknown>), brackets: '{}' };
    if (isPlainObject(v)) return { kind: 'object', entries: members(v).map(([k, m]) => [k, take(m)]) };
    return { kind: 'value', value: v };
  };
  const root = take(value);

  function* write(node: Node, depth: number): Generator<string> {
    const pad = INDENT.repeat(depth + 1);
    const end = INDENT.repeat(depth);
    if (node.kind === 'value') {
      yield JSON.stringify(node.value);
      return;
    }
    const [open, close] = node.kind === 'list' && node.brackets === '[]' ? ['[', ']'] : ['{', '}'];
    const count = node.kind === 'list' ? node.items.length : node.entries.length;
    if (count === 0) {
      yield open + close;
      return;
    }
    yield `${open}\n`;
    if (node.kind === 'list') {
      for (let i = 0; i < count; i++) {
        const [key, item] = node.items[i]!;
        const name = key === null ? '' : `${JSON.stringify(key)}:`;
        yield `${pad}${name}${JSON.stringify(item) ?? 'null'}${i < count - 1 ? ',\n' : '\n'}`;
      }
    } else {
      for (let i = 0; i < count; i++) {
        const [key, child] = node.entries[i]!;
        yield `${pad}${JSON.stringify(key)}: `;
        yield* write(child, depth + 1);
        yield i < count - 1 ? ',\n' : '\n';
      }
    }
    yield `${end}${close}`;
  }
  return write(root, 0);
}

/** The whole text at once. */
export const documentText = (value: Record<string, unknown>): string => Array.from(documentPieces(value)).join('');
