// The verdict's checks (budgets, integrity items, flows: what was checked, pass or fail) for
// every report. Results written before the verdict recorded `checks` get them derived from the
// data, so a report always lists what passed as well as what failed.
import type { RunResult } from '../result/types.js';
import { formatDuration, formatErrorRate, formatShare } from '../units/index.js';
import { timeoutBudget } from './verdict-view.js';

export type Check = NonNullable<RunResult['checks']>[number];

export function reportChecks(result: RunResult): Check[] {
  return result.checks ?? derivedChecks(result);
}

/** The checks of an older result: the run itself, the timeout levels, the error rate, integrity. */
function derivedChecks(result: RunResult): Check[] {
  const b = timeoutBudget(result);
  const t = result.flaggedTotal;
  const checks: Check[] = [
    {
      name: 'the run completed',
      passed: result.status === 'passed' || result.status === 'failed',
      message:
        result.status === 'aborted'
          ? 'interrupted: partial result'
          : result.status === 'error'
            ? `did not complete${result.meta?.error ? `: ${result.meta.error}` : ''}`
            : 'completed',
    },
  ];
  const allowed = result.budgets?.workerTimeouts ?? 0;
  checks.push({
    name: `worker timeouts <= ${allowed}`,
    passed: b.workerTimeouts <= allowed,
    message: `${b.workerTimeouts} worker timeout(s) in the server log`,
  });
  if (b.timeoutMs > 0) {
    checks.push(
      {
        name: 'no request killed by the server',
        passed: t.killed === 0,
        message: `${t.killed} request(s) killed`,
      },
      {
        name: `no request at or above ${formatShare(b.criticalAt)} of the server timeout`,
        passed: t.critical === 0,
        message: `${t.critical} request(s) at or above ${formatDuration(b.timeoutMs * b.criticalAt)}`,
      },
    );
  }
  if (result.budgets) {
    const { errors, total } = result.requests;
    checks.push({
      name: `error rate <= ${formatShare(result.budgets.errorRate)}`,
      passed: total === 0 || errors / total <= result.budgets.errorRate,
      message: `${errors} of ${total} requests failed (${formatErrorRate(errors, total)})`,
    });
  }
  for (const i of result.integrity)
    checks.push({
      name: `integrity: ${i.name}`,
      passed: i.passed,
      message: i.passed
        ? `${i.actual} (expected ${i.expected})`
        : (i.detail ?? `expected ${i.expected}, got ${i.actual}`),
    });
  return checks;
}
