// application/x-www-form-urlencoded bodies, read exactly as qs reads them with `allowDots` (the
// parser koa-bodyparser used, so every form keeps the shape it always had): a repeated name becomes
// a list, `a[b]=c` and `a.b=c` nest. qs and its dependencies cost ~25 ms of CPU and ~2.5 MB of
// memory to load, and nearly every form is flat (OAuth parameters, sign-in, consent), so flat forms
// are read here and qs is loaded for the first form that needs it.
type Form = Record<string, unknown>;

const PARAMETER_LIMIT = 1000; // qs's parameterLimit: names after the 1000th are ignored
const ARRAY_LIMIT = 20; // qs's arrayLimit: more repeats turn the list into an object

/** qs's decoding: `+` is a space; a malformed escape leaves the whole component undecoded. */
function decode(component: string): string {
  const spaced = component.includes('+') ? component.replace(/\+/g, ' ') : component;
  if (!spaced.includes('%')) return spaced;
  try {
    return decodeURIComponent(spaced);
  } catch {
    return spaced;
  }
}

/**
 * Pure: the form when no name in it nests (no `[`, `]` or `.`) and no name repeats more than qs
 * keeps as a list; null when qs must read it.
 */
export function parseFlatForm(text: string): Form | null {
  const form: Record<string, string | string[]> = {};
  for (const part of text.replace(/%5B/gi, '[').replace(/%5D/gi, ']').split('&', PARAMETER_LIMIT)) {
    // As qs splits: at `]=` when there is one (the name then holds a bracket), else at the first `=`.
    const bracketEquals = part.indexOf(']=');
    const at = bracketEquals === -1 ? part.indexOf('=') : bracketEquals + 1;
    const name = decode(at === -1 ? part : part.slice(0, at));
    if (/[[\].]/.test(name)) return null;
    // qs drops an empty name and any name an Object.prototype property has (`constructor`, `__proto__`).
    if (name === '' || Object.hasOwn(Object.prototype, name)) continue;
    const value = at === -1 ? '' : decode(part.slice(at + 1));
    const earlier = form[name];
    if (earlier === undefined) form[name] = value;
    else if (typeof earlier === 'string') form[name] = [earlier, value];
    else if (earlier.length < ARRAY_LIMIT) earlier.push(value);
    else return null;
  }
  return form;
}

let qs: Promise<(text: string) => Form> | null = null;

/** The form as qs reads it, loading qs only for a form that nests. */
export async function parseForm(text: string): Promise<Form> {
  const flat = parseFlatForm(text);
  if (flat) return flat;
  qs ??= import('qs').then(({ default: lib }) => (t: string) => lib.parse(t, { allowDots: true }) as Form);
  return (await qs)(text);
}
