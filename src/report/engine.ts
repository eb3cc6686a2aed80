// The conformance report: every journal entry is shown to every check as it is recorded, per
// client, so the verdicts cover the whole run while memory stays bounded (a few small maps per
// client, at most MAX_CLIENTS clients, at most MAX_EVIDENCE entries of evidence per check).
import { isoMicros } from '../clock.js';
import type { JournalRecord } from '../journal/journal.js';
import type { Check, ClientInfo, Level, Observed, Settings, Status } from './check.js';
import { CHECKS } from './checks.js';

export const MAX_CLIENTS = 200;
export const MAX_EVIDENCE = 5;

export interface Evidence {
  /** Journal entry id. */
  entry: number;
  time: string;
  method: string;
  path: string;
  status: number | 'dropped';
  flow: string | null;
  note: string;
}

export interface CheckResult {
  id: string;
  level: Level;
  title: string;
  reference: string;
  status: Status;
  /** Requests the rule applied to. */
  observed: number;
  /** Requests that broke it (evidence lists the first few). */
  violations: number;
  evidence: Evidence[];
}

export type Summary = Record<Status, number>;

export interface ClientReport {
  client_id: string;
  client_name: string | null;
  client_type: 'public' | 'confidential';
  /** Requests of this client the report has seen. */
  requests: number;
  summary: Summary;
  checks: CheckResult[];
}

export interface Report {
  generated_at: string;
  summary: Summary & { clients: number };
  clients: ClientReport[];
}

export interface KnownClient extends ClientInfo {
  name: string | null;
}

export interface ConformanceDeps {
  /** The client as registered now, or undefined for a client_id this mock does not know. */
  client(id: string): KnownClient | undefined;
  settings: Settings;
  nowMs(): number;
}

interface Tally {
  state: unknown;
  observed: number;
  violations: number;
  evidence: Evidence[];
}

interface ClientRecord {
  info: KnownClient;
  requests: number;
  tallies: Tally[];
}

export interface Conformance {
  /** A journal entry as it is recorded, with its journal id. */
  observe(id: number, record: JournalRecord): void;
  /** Every client seen, in the order they were first seen. */
  report(): Report;
  /** One client (seen or not); undefined when the mock knows no such client. */
  clientReport(clientId: string): ClientReport | undefined;
  clear(): void;
}

const fresh = (checks: readonly Check[]): Tally[] => checks.map((c) => ({ state: c.init(), observed: 0, violations: 0, evidence: [] }));

const evidence = (e: Observed, note: string): Evidence => ({
  entry: e.id,
  time: isoMicros(e.atMs),
  method: e.method,
  path: e.path,
  status: e.status,
  flow: e.flow,
  note,
});

function result(c: Check, tally: Tally): CheckResult {
  let { observed, violations, evidence: shown } = tally;
  const conclusion = c.conclude?.(tally.state);
  if (c.conclude) {
    observed = conclusion === undefined ? 0 : 1;
    violations = typeof conclusion === 'object' ? 1 : 0;
    shown = typeof conclusion === 'object' ? conclusion.entries.slice(0, MAX_EVIDENCE).map((e) => evidence(e, conclusion.note)) : [];
  }
  const status: Status = violations > 0 ? c.level : observed > 0 ? 'pass' : 'not_observed';
  return { id: c.id, level: c.level, title: c.title, reference: c.reference, status, observed, violations, evidence: shown };
}

const summarise = (results: readonly { status: Status }[]): Summary => {
  const s: Summary = { fail: 0, warn: 0, pass: 0, not_observed: 0 };
  for (const r of results) s[r.status]++;
  return s;
};

function clientReport(id: string, record: ClientRecord, checks: readonly Check[]): ClientReport {
  const results = checks.map((c, i) => result(c, record.tallies[i]!));
  return {
    client_id: id,
    client_name: record.info.name,
    client_type: record.info.public ? 'public' : 'confidential',
    requests: record.requests,
    summary: summarise(results),
    checks: results,
  };
}

export function createConformance(deps: ConformanceDeps, checks: readonly Check[] = CHECKS): Conformance {
  // Insertion order is first-seen order; the least recently active client goes when full.
  const clients = new Map<string, ClientRecord>();
  const lastActive = new Map<string, number>();
  let tick = 0;

  function recordOf(id: string): ClientRecord | undefined {
    let record = clients.get(id);
    const info = deps.client(id);
    if (!info) return record;
    if (!record) {
      if (clients.size >= MAX_CLIENTS) {
        const [idle] = [...lastActive].reduce((a, b) => (b[1] < a[1] ? b : a));
        clients.delete(idle);
        lastActive.delete(idle);
      }
      record = { info, requests: 0, tallies: fresh(checks) };
      clients.set(id, record);
    }
    record.info = info;
    lastActive.set(id, tick++);
    return record;
  }

  return {
    observe(id, entry) {
      if (entry.client_id === null) return;
      const record = recordOf(entry.client_id);
      if (!record) return;
      record.requests++;
      const e: Observed = { id, ...entry };
      const seen = { e, t: e.atMs, client: record.info, settings: deps.settings };
      checks.forEach((c, i) => {
        const tally = record.tallies[i]!;
        const verdict = c.observe(tally.state, seen);
        if (verdict === undefined) return;
        tally.observed++;
        if (verdict === 'pass') return;
        tally.violations++;
        if (tally.evidence.length < MAX_EVIDENCE) tally.evidence.push(evidence(e, verdict));
      });
    },
    report() {
      const reports = [...clients].map(([id, record]) => clientReport(id, record, checks));
      return {
        generated_at: isoMicros(deps.nowMs()),
        summary: { clients: reports.length, ...summarise(reports.flatMap((r) => r.checks)) },
        clients: reports,
      };
    },
    clientReport(id) {
      const record = clients.get(id);
      if (record) return clientReport(id, record, checks);
      const info = deps.client(id);
      return info && clientReport(id, { info, requests: 0, tallies: fresh(checks) }, checks);
    },
    clear() {
      clients.clear();
      lastActive.clear();
    },
  };
}
