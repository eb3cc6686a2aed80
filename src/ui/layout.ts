// The document shell shared by every server-rendered page. Pure: returns a string, no I/O.

import { html, raw, type SafeHtml } from './html.js';

export const STYLESHEET_HREF = '/assets/glossia-mock.css';

// The Glossia logo mark: an indigo rounded square with a white "G". Inline SVG elements are not
// affected by `img-src` and use presentation attributes only (no style=), so they pass the CSP.
export const logoMark: SafeHtml = raw(
  '<svg viewBox="0 0 32 32" aria-hidden="true" focusable="false">' +
    '<rect width="32" height="32" rx="8" fill="#4f46e5"/>' +
    '<path d="M21.6 11.9A7 7 0 1 0 23 16h-6.5" fill="none" stroke="#fff" stroke-width="3" stroke-linecap="round" stroke-linejoin="round"/>' +
    '</svg>',
);

/** `header`: extra header content on the right (e.g. the signed-in user's menu); `wide`: the dashboard's width. */
export function page(opts: { title: string; body: SafeHtml; narrow?: boolean; wide?: boolean; header?: SafeHtml }): string {
  const doc = html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<meta name="referrer" content="no-referrer">
<title>${opts.title} · Glossia</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${STYLESHEET_HREF}">
</head>
<body>
<header class="site-header">
<a class="brand" href="/">${logoMark}<span>Glossia</span></a>
<span class="badge" title="This is glossia-mock, not the real Glossia service">mock</span>
${opts.header}
</header>
<main class="${opts.narrow ? 'main narrow' : opts.wide ? 'main wide' : 'main'}">
${opts.body}
</main>
<footer class="site-footer"><p>glossia-mock — a local mock of Glossia for development and testing</p></footer>
</body>
</html>
`;
  return doc.__html;
}
