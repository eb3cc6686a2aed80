// How boruta 2.3.5 (AuthorizeResponse.add_query_to_redirect_uri) puts the authorization response
// into the redirect URI: the URI's own query goes through Elixir's URI.decode_query into a map,
// the response members are merged in, and URI.encode_query writes the map back out. A map of up to
// 32 keys iterates in term order, so the response members (atoms) come first, then the URI's own
// keys (binaries) in byte order, each once (the last duplicate wins), all re-encoded.
// Bytes rather than strings throughout, because Elixir compares and re-encodes raw bytes.

const UNRESERVED = new Set(Buffer.from('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789~_-.'));

/** URI.encode_www_form: unreserved bytes as they are, a space as `+`, everything else %XX. */
function encodeWwwForm(bytes: Buffer): string {
  let out = '';
  for (const b of bytes) out += UNRESERVED.has(b) ? String.fromCharCode(b) : b === 0x20 ? '+' : `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  return out;
}

/**
 * URI.decode_www_form: `+` is a space and %XX a byte. Elixir raises on a malformed escape (a 500
 * at Glossia); the mock keeps such a `%` literally instead of failing the redirect.
 */
function decodeWwwForm(text: string): Buffer {
  const bytes: number[] = [];
  const raw = Buffer.from(text, 'utf8');
  for (let i = 0; i < raw.length; i++) {
    const b = raw[i]!;
    const hex = b === 0x25 ? raw.subarray(i + 1, i + 3).toString('latin1') : '';
    if (/^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else bytes.push(b === 0x2b ? 0x20 : b);
  }
  return Buffer.from(bytes);
}

/** URI.decode_query: pairs split on `&`, then on the first `=`; a pair without `=` has an empty value. */
function decodeQuery(query: string): Map<string, [key: Buffer, value: Buffer]> {
  const pairs = new Map<string, [Buffer, Buffer]>();
  let rest = query;
  while (rest !== '') {
    const amp = rest.indexOf('&');
    const pair = amp < 0 ? rest : rest.slice(0, amp);
    rest = amp < 0 ? '' : rest.slice(amp + 1);
    const eq = pair.indexOf('=');
    const key = decodeWwwForm(eq < 0 ? pair : pair.slice(0, eq));
    pairs.set(key.toString('latin1'), [key, decodeWwwForm(eq < 0 ? '' : pair.slice(eq + 1))]);
  }
  return pairs;
}

const encodePairs = (pairs: [Buffer, Buffer][]): string[] =>
  pairs.sort(([a], [b]) => Buffer.compare(a, b)).map(([k, v]) => `${encodeWwwForm(k)}=${encodeWwwForm(v)}`);

/** The redirect URI with `params` (undefined members left out) merged into its query the way boruta does. */
export function borutaMergeQuery(uri: string, params: Record<string, string | number | undefined>): string {
  const mark = uri.indexOf('?');
  const base = mark < 0 ? uri : uri.slice(0, mark);
  const own = [...decodeQuery(mark < 0 ? '' : uri.slice(mark + 1)).values()];
  const members = Object.entries(params).flatMap(([k, v]): [Buffer, Buffer][] => (v === undefined ? [] : [[Buffer.from(k), Buffer.from(String(v))]]));
  return `${base}?${[...encodePairs(members), ...encodePairs(own)].join('&')}`;
}
