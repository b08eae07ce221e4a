// What the run produced besides latency: the database checks, the scripted flows and the wait
// for background work before the checks.

import { plural, seconds } from './format.js';
import type { Check, Rule } from './types.js';

export const integrityChecks: Rule = (input) => {
  const results = input.integrity;
  if (results.length === 0) return {};
  const checks: Check[] = results.map((r) => ({
    name: `integrity: ${r.name}`,
    passed: r.passed,
    message: r.passed
      ? `${r.actual} (expected ${r.expected})`
      : (r.detail ?? `expected ${r.expected}, got ${r.actual}`),
  }));
  const failed = results.filter((r) => !r.passed);
  if (failed.length === 0) return { checks };
  return {
    checks,
    findings: [
      {
        severity: 'fail',
        code: 'integrity-failed',
        title: `${failed.length} of ${plural(results.length, 'database check')} failed`,
        detail: failed
          .map((r) => `${r.name}: ${r.detail ?? `expected ${r.expected}, got ${r.actual}`}`)
          .join('\n'),
      },
    ],
  };
};

export const flowOutcomes: Rule = (input) => {
  const outcomes = input.flowOutcomes ?? [];
  return {
    checks: outcomes.map((o) => ({
      name: `flow ${o.flow}`,
      passed: o.ok,
      message: o.ok
        ? 'every step passed'
        : `failed at ${o.failedStep ?? 'a step'}: ${o.message ?? 'no detail'}`,
    })),
    findings: outcomes
      .filter((o) => !o.ok)
      .map((o) => ({
        severity: 'fail' as const,
        code: 'flow-failed',
        title: `Flow ${o.flow} failed${o.failedStep ? ` at step "${o.failedStep}"` : ''}`,
        detail: o.message ?? 'The flow did not complete.',
      })),
  };
};

export const settleOutcome: Rule = (input) => {
  const settle = input.settle;
  if (!settle || settle.settled) return {};
  return {
    findings: [
      {
        severity: 'warn',
        code: 'not-settled',
        title: `Background work had not settled after ${seconds(settle.waitedMs)}`,
        detail: `The database checks ran anyway: ${settle.detail ?? 'the settle condition never held'}.`,
        advice:
          'Raise settle.within if the work is slow but finishing, or look at the worker logs if it is stuck.',
      },
    ],
  };
};
