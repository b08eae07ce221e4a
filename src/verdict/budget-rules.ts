// The scenario's budgets: per endpoint (or per phase/flow) latency percentiles, max and error
// rate, and the overall error rate. Each budget is a check (a JUnit case); each endpoint over
// budget is one failed finding listing every metric it broke.
import type { EndpointStats, Finding } from '../result/types.js';
import type { EndpointBudget } from '../scenario/types.js';
import { formatDuration, formatShare } from '../units/index.js';
import type { Check, Rule } from './types.js';

const LATENCY_METRICS = [
  ['p50Ms', 'p50'],
  ['p95Ms', 'p95'],
  ['p99Ms', 'p99'],
  ['maxMs', 'max'],
] as const;

export const endpointBudgets: Rule = (input) => {
  const checks: Check[] = [];
  const findings: Finding[] = [];
  for (const [name, budget] of Object.entries(input.scenario.budgets.endpoints)) {
    const stats = statsFor(name, input.requests.byEndpoint, input.byGroup ?? []);
    if (!stats || stats.count === 0) {
      checks.push({
        name: `budget ${name}`,
        passed: true,
        skipped: true,
        message: `no requests named ${name} ran`,
      });
      findings.push({
        severity: 'warn',
        code: 'budget-unused',
        title: `The budget for ${name} checked nothing`,
        detail: `No endpoint, phase or flow named ${name} sent requests in this run, so its budget was not applied.`,
        advice: 'Name the budget after an endpoint (its `name`), a load phase or a flow of the scenario.',
      });
      continue;
    }
    const broken = budgetChecks(name, budget, stats, checks);
    if (broken.length > 0) {
      findings.push({
        severity: 'fail',
        code: 'endpoint-budget',
        title: `${name}: ${broken[0]}${broken.length > 1 ? ` (and ${broken.length - 1} more)` : ''}`,
        detail: `${name} over its budget: ${broken.join('; ')} (${stats.count} requests).`,
      });
    }
  }
  return { checks, findings };
};

function budgetChecks(name: string, budget: EndpointBudget, stats: EndpointStats, checks: Check[]): string[] {
  const broken: string[] = [];
  for (const [key, metric] of LATENCY_METRICS) {
    const limit = budget[key];
    if (limit === undefined) continue;
    const value = stats.latencyMs[metric];
    const passed = value <= limit;
    const message = `${metric} ${formatDuration(value)} ${passed ? '<=' : '>'} ${formatDuration(limit)}`;
    checks.push({ name: `budget ${name} ${metric} <= ${formatDuration(limit)}`, passed, message });
    if (!passed) broken.push(`${metric} ${formatDuration(value)} over ${formatDuration(limit)}`);
  }
  if (budget.errorRate !== undefined) {
    const rate = stats.errors / stats.count;
    const passed = rate <= budget.errorRate;
    checks.push({
      name: `budget ${name} error rate <= ${formatShare(budget.errorRate)}`,
      passed,
      message: `${stats.errors} of ${stats.count} failed (${formatShare(rate)})`,
    });
    if (!passed) broken.push(`error rate ${formatShare(rate)} over ${formatShare(budget.errorRate)}`);
  }
  return broken;
}

/** A budget names an endpoint, else a phase or flow (the recorder's per-group stats). */
function statsFor(
  name: string,
  endpoints: EndpointStats[],
  groups: EndpointStats[],
): EndpointStats | undefined {
  return endpoints.find((e) => e.name === name) ?? groups.find((g) => g.name === name || g.group === name);
}

export const overallErrorRate: Rule = (input) => {
  const { total, errors } = input.requests;
  const limit = input.scenario.budgets.errorRate;
  const name = `error rate <= ${formatShare(limit)}`;
  if (total === 0) {
    return {
      checks: [{ name, passed: true, skipped: true, message: 'no requests were sent' }],
      findings: [
        {
          severity: 'warn',
          code: 'no-requests',
          title: 'No requests were sent',
          detail: 'The run sent no HTTP requests, so no latency or error budget was tested.',
          advice: 'Give the scenario a load phase or a flow.',
        },
      ],
    };
  }
  const rate = errors / total;
  const passed = rate <= limit;
  const message = `${errors} of ${total} requests failed (${formatShare(rate)})`;
  const worst = [...input.requests.byEndpoint]
    .sort((a, b) => b.errors - a.errors)
    .filter((e) => e.errors > 0);
  return {
    checks: [{ name, passed, message }],
    findings: passed
      ? []
      : [
          {
            severity: 'fail',
            code: 'error-rate',
            title: `Error rate ${formatShare(rate)} over the ${formatShare(limit)} budget`,
            detail: `${message}; most: ${worst
              .slice(0, 3)
              .map((e) => `${e.name} ${e.errors} (${statusSummary(e)})`)
              .join(', ')}.`,
          },
        ],
  };
};

function statusSummary(e: EndpointStats): string {
  return Object.entries(e.statusCodes)
    .filter(([code]) => !/^[23]/.test(code))
    .map(([code, n]) => `${n}× ${code}`)
    .join(', ');
}
