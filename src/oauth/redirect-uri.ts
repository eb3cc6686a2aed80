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

/** Exact string comparison: no normalisation, no prefix or wildcard matching. */
export function isRegisteredRedirect(registered: readonly string[], uri: string): boolean {
  return registered.includes(uri);
}
