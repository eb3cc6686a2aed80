// Minimal, dependency-free HTML templating for the server-rendered pages.
//
// `html` is a tagged template: every interpolated value is HTML-escaped unless it is a SafeHtml
// produced by `html` itself or by `raw`. Arrays are flattened (each element treated the same way)
// and null / undefined / false render as nothing, so `cond && html`...`` and `list.map(...)` work.
//
// SafeHtml values are recognised by a private brand, not by their shape: a plain object such as
// `{ __html: '<script>' }` (which could come from a parsed JSON request body) is escaped like any
// other value. Use `raw()` to mark trusted markup explicitly.

export type SafeHtml = { readonly __html: string };

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(value: string): string {
  return String(value).replace(/[&<>"']/g, (ch) => ESCAPES[ch] ?? ch);
}

const brand = new WeakSet<object>();

function makeSafe(s: string): SafeHtml {
  const out: SafeHtml = Object.freeze({ __html: s });
  brand.add(out);
  return out;
}

function isSafeHtml(value: unknown): value is SafeHtml {
  return typeof value === 'object' && value !== null && brand.has(value);
}

export function raw(s: string): SafeHtml {
  return makeSafe(String(s));
}

function render(value: unknown): string {
  if (value === null || value === undefined || value === false) return '';
  if (isSafeHtml(value)) return value.__html;
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: unknown[]): SafeHtml {
  let out = strings[0] ?? '';
  for (let i = 0; i < values.length; i++) {
    out += render(values[i]) + (strings[i + 1] ?? '');
  }
  return makeSafe(out);
}
