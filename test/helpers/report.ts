// Reading a client's conformance report.
import type { ClientReport } from '../../src/report/engine.js';

/** Ids of the checks with this status, in the report's order. */
export const checksWith = (r: ClientReport | undefined, status: 'pass' | 'fail' | 'warn' | 'not_observed'): string[] =>
  (r?.checks ?? []).filter((c) => c.status === status).map((c) => c.id);
