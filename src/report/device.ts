// Device flow polling: no faster than `interval`, five seconds slower after slow_down.
import { remember } from './bounded.js';
import { check } from './check.js';
import { credentialOf, isGrant, seconds } from './entries.js';

const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
/** RFC 8628 §3.5: slow_down adds 5 seconds to the interval, for every later poll. */
const SLOW_DOWN_S = 5;
/** Request start times jitter a little; a poll this much early still counts as on time. */
const TOLERANCE_MS = 100;

interface Poll {
  t: number;
  /** Seconds added by slow_down answers. */
  added: number;
}

/** The gap to the previous poll of the same device code and the state to keep, or undefined. */
function poll(polls: Map<string, Poll>, e: Parameters<typeof credentialOf>[0], t: number) {
  const code = isGrant(e, DEVICE_GRANT) ? credentialOf(e, 'device_code') : undefined;
  if (code === undefined) return undefined;
  const before = polls.get(code);
  const added = (before?.added ?? 0) + (e.facts?.error === 'slow_down' ? SLOW_DOWN_S : 0);
  polls.set(code, { t, added });
  return before && { gap: t - before.t, added: before.added };
}

export const deviceInterval = check({
  id: 'device.interval',
  level: 'fail',
  title: 'Device-code polls are at least `interval` seconds apart',
  reference: 'RFC 8628 §3.5',
  init: () => remember<string, Poll>(),
  observe(polls, { e, t, settings }) {
    const p = poll(polls, e, t);
    if (!p) return undefined;
    return p.gap + TOLERANCE_MS >= settings.deviceInterval * 1000 ? 'pass' : `polled ${seconds(p.gap)} after the previous poll (interval ${settings.deviceInterval} s)`;
  },
});

export const deviceSlowDown = check({
  id: 'device.slow_down',
  level: 'fail',
  title: 'After slow_down, the client polls 5 seconds more slowly',
  reference: 'RFC 8628 §3.5',
  init: () => remember<string, Poll>(),
  observe(polls, { e, t, settings }) {
    const p = poll(polls, e, t);
    if (!p || p.added === 0) return undefined;
    const needed = settings.deviceInterval + p.added;
    return p.gap + TOLERANCE_MS >= needed * 1000 ? 'pass' : `polled ${seconds(p.gap)} after the previous poll; after slow_down the interval is ${needed} s`;
  },
});
