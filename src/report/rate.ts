// 429: the client waits for Retry-After before it asks the same endpoint again.
import { remember } from './bounded.js';
import { check, type Verdict, type Observed } from './check.js';
import { isApi, seconds } from './entries.js';

/** Rate limits are per endpoint; the API counts as one. */
const endpointOf = (e: Observed) => (isApi(e) ? '/api/' : e.path);

export const rateRetryAfter = check({
  id: 'rate.retry_after',
  level: 'fail',
  title: 'After a 429, no request to that endpoint before Retry-After has elapsed',
  reference: 'RFC 6585 §4; RFC 9110 §10.2.3; guide "Rate limits"',
  // endpoint → until when it asked the client to wait, and which request said so
  init: () => remember<string, { until: number; id: number; wait: number }>(),
  observe(waits, { e, t }) {
    const endpoint = endpointOf(e);
    const wait = waits.get(endpoint);
    let verdict: Verdict;
    if (wait !== undefined) {
      verdict = t >= wait.until ? 'pass' : `retried ${seconds(t - (wait.until - wait.wait))} after request #${wait.id} asked to wait ${seconds(wait.wait)}`;
      if (t >= wait.until) waits.delete(endpoint);
    }
    const retryAfter = e.facts?.retry_after;
    if (e.status === 429 && retryAfter !== undefined && retryAfter > 0)
      waits.set(endpoint, { until: t + retryAfter * 1000, id: e.id, wait: retryAfter * 1000 });
    return verdict;
  },
});
