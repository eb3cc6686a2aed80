// Redirect URI rules of Glossia's registration (reference 4): a scheme, a host, no fragment.

export function redirectUriProblem(uri: unknown): string | null {
  if (typeof uri !== 'string' || uri === '') return `\`${String(uri)}\` is invalid`;
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return `\`${uri}\` is invalid`;
  }
  // WHATWG URL invents a host for `http:///cb`, `https:/cb` or `http:cb` (host "cb"); the string
  // itself must have an authority (`scheme://host`), as RFC 3986 parsing at Glossia requires.
  const hasAuthority = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?#]/.test(uri);
  if (url.host === '' || !hasAuthority || uri.includes('#')) return `\`${uri}\` is invalid`;
  return null;
}

// boruta's wildcard: each `*` of a registered URI stands for one DNS-style label.
const LABEL = '[a-zA-Z0-9][a-zA-Z0-9-]{1,61}[a-zA-Z0-9]';
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');

function matchesWildcard(pattern: string, uri: string): boolean {
  if (!pattern.includes('*')) return pattern === uri;
  return new RegExp(`^${pattern.split('*').map(escapeRegExp).join(LABEL)}$`).test(uri);
}

/**
 * Exact string comparison, no normalisation or prefix matching; with `wildcards` (the real
 * server), a `*` in a registered URI matches one label of 3-63 characters of [A-Za-z0-9-].
 */
export function isRegisteredRedirect(registered: readonly string[], uri: string, wildcards = false): boolean {
  return wildcards ? registered.some((r) => matchesWildcard(r, uri)) : registered.includes(uri);
}
