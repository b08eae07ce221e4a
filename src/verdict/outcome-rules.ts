// What the run produced besides latency: the database checks, the scripted flows and the wait
// for background work before the checks.
import type { Finding } from '../result/types.js';
import { formatDuration } from '../units/index.js';
import { plural } from './format.js';
import { shortfallContext } from './partial-write.js';
import type { Check, FlowOutcome, Rule } from './types.js';

export const integrityChecks: Rule = (input, evidence) => {
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
  // A short count that is not a partial write: say what the run showed instead.
  const context = shortfallContext(input, evidence);
  return {
    checks,
    findings: [
      {
        severity: 'fail',
        code: 'integrity-failed',
        title: `${failed.length} of ${plural(results.length, 'database check')} failed`,
        detail: [
          ...failed.map((r) => `${r.name}: ${r.detail ?? `expected ${r.expected}, got ${r.actual}`}`),
          ...(context ? [context] : []),
        ].join('\n'),
      },
    ],
  };
};

/** One check per run of a flow; one finding per failing flow, however many of its copies failed. */
export const flowOutcomes: Rule = (input) => {
  const outcomes = input.flowOutcomes ?? [];
  const runsOf = new Map<string, FlowOutcome[]>();
  for (const o of outcomes) runsOf.set(o.flow, [...(runsOf.get(o.flow) ?? []), o]);
  const checks: Check[] = outcomes.map((o) => ({
    name:
      runsOf.get(o.flow)!.length > 1
        ? `flow ${o.flow} #${o.copy ?? 1}.${o.iteration ?? 1}`
        : `flow ${o.flow}`,
    passed: o.ok,
    message: o.ok
      ? 'every step passed'
      : `failed at ${o.failedStep ?? 'a step'}: ${o.message ?? 'no detail'}`,
  }));
  const findings: Finding[] = [];
  for (const [flow, runs] of runsOf) {
    const failed = runs.filter((o) => !o.ok);
    const first = failed[0];
    if (!first) continue;
    const share = runs.length > 1 ? ` (${failed.length} of ${plural(runs.length, 'run')})` : '';
    findings.push({
      severity: 'fail',
      code: 'flow-failed',
      title: `Flow ${flow} failed${first.failedStep ? ` at step "${first.failedStep}"` : ''}${share}`,
      detail: first.message ?? 'The flow did not complete.',
    });
  }
  return { checks, findings };
};

export const settleOutcome: Rule = (input) => {
  const settle = input.settle;
  if (!settle || settle.settled) return {};
  return {
    findings: [
      {
        severity: 'warn',
        code: 'not-settled',
        title: `Background work had not settled after ${formatDuration(settle.waitedMs)}`,
        detail: `The database checks ran anyway: ${settle.detail ?? 'the settle condition never held'}.`,
        advice:
          'Raise settle.within if the work is slow but finishing, or look at the worker logs if it is stuck.',
      },
    ],
  };
};
