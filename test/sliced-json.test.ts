// db.json's text (src/store/sliced-json.ts): JSON that parses back to the data, one line per record,
// and a snapshot of the lists as they were when it started, however long the writing takes.
import { describe, expect, it } from 'vitest';
import { documentPieces, documentText } from '../src/store/sliced-json.js';

describe("db.json's text", () => {
  it('parses back to the data, indents the structure and has one line per record of a list or map', () => {
    const value = {
      version: 1,
      secret: null,
      signingKeys: [{ kid: 'k', jwk: { n: 'x', list: [1, [2, 3]] } }],
      clients: { a: { id: 'a', uris: ['x'], gone: undefined }, b: { id: 'b', uris: [] } },
      noClients: {},
      gone: undefined,
      world: { hash: 'h', projects: [{ id: 'p1', name: '"quoted"\nname' }, { id: 'p2', tags: [] }], invitations: [] },
    };
    const text = documentText(value);
    expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(value)));
    expect(text).toBe(
      [
        '{',
        ' "version": 1,',
        ' "secret": null,',
        ' "signingKeys": [',
        '  {"kid":"k","jwk":{"n":"x","list":[1,[2,3]]}}',
        ' ],',
        ' "clients": {',
        '  "a":{"id":"a","uris":["x"]},',
        '  "b":{"id":"b","uris":[]}',
        ' },',
        ' "noClients": {},',
        ' "world": {',
        '  "hash": "h",',
        '  "projects": [',
        '   {"id":"p1","name":"\\"quoted\\"\\nname"},',
        '   {"id":"p2","tags":[]}',
        '  ],',
        '  "invitations": []',
        ' }',
        '}',
      ].join('\n'),
    );
  });

  it('keeps the records a list had when it started, whatever is added or removed before it is written', () => {
    const list = Array.from({ length: 2_000 }, (_, i) => ({ i }));
    const clients: Record<string, { i: number }> = { a: { i: 1 } };
    const before = JSON.parse(JSON.stringify({ list, clients }));
    const pieces = documentPieces({ list, clients });
    list.splice(0, 10);
    list.push({ i: -1 });
    delete clients['a'];
    clients['b'] = { i: 2 };
    expect(JSON.parse(Array.from(pieces).join(''))).toEqual(before);
  });
});
