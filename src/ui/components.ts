// Small presentational helpers shared by the pages.

import { html, type SafeHtml } from './html.js';

/** Up to two uppercase initials from a display name, falling back to the handle. */
export function initials(name: string, fallback = '?'): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const first = words[0];
  const last = words.length > 1 ? words[words.length - 1] : undefined;
  const letters = [first, last]
    .filter((w): w is string => w !== undefined)
    .map((w) => Array.from(w)[0] ?? '')
    .join('');
  const fromFallback = Array.from(fallback.replace(/[^\p{L}\p{N}]/gu, '')).slice(0, 2).join('');
  return (letters || fromFallback || '?').toUpperCase();
}

/** A stable colour variant (avatar-1 … avatar-6, or the accent colour) derived from a key. */
export function avatarVariant(key: string): string {
  let h = 0;
  for (let i = 0; i < key.length; i++) h = (h * 31 + key.charCodeAt(i)) >>> 0;
  const n = h % 7;
  return n === 0 ? 'avatar' : `avatar avatar-${n}`;
}

/** Decorative avatar; hidden from assistive technology because the name is always shown next to it. */
export function avatar(name: string, key: string, extraClass = ''): SafeHtml {
  const cls = extraClass ? `${avatarVariant(key)} ${extraClass}` : avatarVariant(key);
  return html`<span class="${cls}" aria-hidden="true">${initials(name, key)}</span>`;
}
