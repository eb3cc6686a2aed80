// The report as JUnit XML, the format CI systems (GitHub Actions reporters, GitLab's test report)
// show natively: one test suite per client, one test case per check. A warning is a failure only
// when the run fails on warnings; a check that saw nothing to judge is skipped.
import type { CheckResult, Report } from './engine.js';

export type FailOn = 'fail' | 'warn';

const XML_ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };
// Characters XML 1.0 cannot carry at all are dropped.
const xml = (s: string) => s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '').replace(/[&<>"']/g, (c) => XML_ESCAPES[c]!);

/** Whether a check's outcome fails the run at this threshold. */
export const failsRun = (status: CheckResult['status'], failOn: FailOn): boolean => status === 'fail' || (failOn === 'warn' && status === 'warn');

function evidenceText(c: CheckResult): string {
  const lines = c.evidence.map((e) => `#${e.entry} ${e.time} ${e.method} ${e.path} → ${e.status}${e.flow ? ` (flow ${e.flow})` : ''}: ${e.note}`);
  if (c.violations > c.evidence.length) lines.push(`… ${c.violations - c.evidence.length} more`);
  return [`${c.title} (${c.reference})`, ...lines].join('\n');
}

function testCase(c: CheckResult, classname: string, failOn: FailOn): string {
  const open = `<testcase classname="${xml(classname)}" name="${xml(`${c.id}: ${c.title}`)}">`;
  if (c.status === 'not_observed') return `${open}<skipped message="not observed: no request this check applies to"/></testcase>`;
  if (c.status === 'pass') return `${open}</testcase>`;
  const message = `${c.violations} violation${c.violations === 1 ? '' : 's'}: ${c.evidence[0]?.note ?? ''}`;
  if (failsRun(c.status, failOn)) return `${open}<failure type="${c.status}" message="${xml(message)}">${xml(evidenceText(c))}</failure></testcase>`;
  return `${open}<system-out>${xml(`warning: ${message}\n${evidenceText(c)}`)}</system-out></testcase>`;
}

export function toJUnit(report: Report, failOn: FailOn): string {
  const suites = report.clients.map((client) => {
    const name = client.client_name ? `${client.client_name} (${client.client_id})` : client.client_id;
    const failures = client.checks.filter((c) => failsRun(c.status, failOn)).length;
    const skipped = client.checks.filter((c) => c.status === 'not_observed').length;
    const classname = `glossia-mock.conformance.${client.client_id}`;
    return [
      `  <testsuite name="${xml(name)}" tests="${client.checks.length}" failures="${failures}" errors="0" skipped="${skipped}" timestamp="${report.generated_at.slice(0, 19)}">`,
      ...client.checks.map((c) => `    ${testCase(c, classname, failOn)}`),
      '  </testsuite>',
    ].join('\n');
  });
  const tests = report.clients.reduce((n, c) => n + c.checks.length, 0);
  const failures = report.clients.reduce((n, c) => n + c.checks.filter((k) => failsRun(k.status, failOn)).length, 0);
  return `<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="glossia-mock client conformance" tests="${tests}" failures="${failures}" errors="0">
${suites.join('\n')}
</testsuites>
`;
}
