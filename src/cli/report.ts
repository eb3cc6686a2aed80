// --report FILE and --report-fail-on at shutdown: write the conformance report, decide the exit status.
import type { Config } from '../config.js';
import type { Report } from '../report/engine.js';
import { failingChecks, summaryLine, writeReport } from '../report/output.js';

/** --report and --report-fail-on at shutdown: the exit status. */
export async function finishReport(report: Report, config: Config): Promise<number> {
  if (config.report === null && config.reportFailOn === null) return 0;
  console.error(`glossia-mock: ${summaryLine(report)}`);
  if (config.report !== null) {
    try {
      await writeReport(config.report, report, config.reportFailOn ?? 'fail');
      console.error(`glossia-mock: report written to ${config.report}`);
    } catch (err) {
      console.error(`glossia-mock: could not write the report to ${config.report}: ${(err as Error).message}`);
      return 1;
    }
  }
  if (config.reportFailOn === null) return 0;
  const failing = failingChecks(report, config.reportFailOn);
  for (const f of failing) console.error(`glossia-mock:   ${f}`);
  return failing.length > 0 ? 1 : 0;
}
