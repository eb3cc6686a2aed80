// Writing the report at shutdown (--report FILE) and deciding the exit status (--report-fail-on).
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Report } from './engine.js';
import { failsRun, toJUnit, type FailOn } from './junit.js';

/** JUnit XML when the file name ends in .xml, else JSON. */
export async function writeReport(file: string, report: Report, failOn: FailOn): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const text = file.toLowerCase().endsWith('.xml') ? toJUnit(report, failOn) : `${JSON.stringify(report, null, 2)}\n`;
  await writeFile(file, text);
}

/** The checks (per client) that fail the run at this threshold. */
export const failingChecks = (report: Report, failOn: FailOn): string[] =>
  report.clients.flatMap((c) => c.checks.filter((k) => failsRun(k.status, failOn)).map((k) => `${c.client_name ?? c.client_id}: ${k.id}`));

/** One line for the terminal. */
export const summaryLine = (report: Report): string =>
  `client conformance: ${report.summary.fail} failed, ${report.summary.warn} warnings, ${report.summary.pass} passed across ${report.summary.clients} client${report.summary.clients === 1 ? '' : 's'}`;
