// The verdict: every rule of the table applied to the run's observations. Pure: plain data in,
// findings (fail / warn / info, with advice) and one check per budget out. The run failed when
// any finding is a failure; warnings and advice never fail it.
import type { Finding, Severity } from '../result/types.js';
import { gracefulTimeoutAdvice, keepAliveAdvice, syncWorkerAdvice, workersAdvice } from './advice.js';
import { endpointBudgets, overallErrorRate } from './budget-rules.js';
import { orphanedWork, requestsCutInFront } from './chain-rules.js';
import { headroom } from './headroom.js';
import { rateNotReached } from './load-rules.js';
import { flowOutcomes, integrityChecks, settleOutcome } from './outcome-rules.js';
import { partialImport } from './partial-write.js';
import { queueing } from './queue-rules.js';
import {
  approachingRequests,
  criticalRequests,
  killedRequests,
  killedWorkers,
  serverErrors,
  workerTimeouts,
} from './server-rules.js';
import { recommendedSettings } from './settings-rules.js';
import type { Check, Evidence, JudgeInput, Rule, Verdict } from './types.js';
import { slowestWork } from './worker-time.js';

export type { Check, FlowOutcome, JudgeInput, MockCall, Verdict } from './types.js';

/** In the order findings are listed (within one severity). */
export const rules: readonly Rule[] = [
  requestsCutInFront,
  workerTimeouts,
  killedRequests,
  criticalRequests,
  endpointBudgets,
  overallErrorRate,
  rateNotReached,
  integrityChecks,
  partialImport,
  flowOutcomes,
  approachingRequests,
  orphanedWork,
  queueing,
  killedWorkers,
  serverErrors,
  settleOutcome,
  syncWorkerAdvice,
  gracefulTimeoutAdvice,
  keepAliveAdvice,
  workersAdvice,
  recommendedSettings,
];

const ORDER: Record<Severity, number> = { fail: 0, warn: 1, info: 2 };

export function judge(everything: JudgeInput): Verdict {
  const input = duringTraffic(everything);
  const evidence = evidenceOf(input);
  const findings: Finding[] = [];
  const checks: Check[] = [];
  for (const rule of rules) {
    const out = rule(input, evidence);
    findings.push(...(out.findings ?? []));
    checks.push(...(out.checks ?? []));
  }
  const sorted = findings
    .map((f, i) => ({ f, i }))
    .sort((a, b) => ORDER[a.f.severity] - ORDER[b.f.severity] || a.i - b.i);
  // Not a finding: a margin is stated for every run, passing or not, and decides nothing.
  const margin = headroom({
    slowest: evidence.slowest,
    // The smallest limit of the chain: a proxy in front cuts before T.
    deadlineMs: input.chain && input.chain.deadlineS > 0 ? input.chain.deadlineS * 1000 : evidence.timeoutMs,
    mockCalls: input.mockCalls,
    slowestEndpoint: [...input.requests.byEndpoint].sort((a, b) => b.latencyMs.max - a.latencyMs.max)[0]
      ?.name,
  });
  return {
    status: findings.some((f) => f.severity === 'fail') ? 'failed' : 'passed',
    findings: sorted.map(({ f }) => f),
    checks,
    ...(margin ? { headroom: margin } : {}),
  };
}

/** What the server logged before the traffic (boot, setup, readiness) is no outcome of it. */
function duringTraffic(input: JudgeInput): JudgeInput {
  return { ...input, serverEvents: input.serverEvents.filter((e) => !e.beforeTraffic) };
}

function evidenceOf(input: JudgeInput): Evidence {
  const killed = input.flagged.filter((f) => f.level === 'killed');
  const worst = [...input.flagged].sort((a, b) => b.latencyMs - a.latencyMs)[0];
  const endpointMax = Math.max(0, ...input.requests.byEndpoint.map((e) => e.latencyMs.max));
  return {
    timeoutMs: input.server.timeoutS * 1000,
    workerTimeouts: input.serverEvents.filter((e) => e.kind === 'worker-timeout'),
    killed,
    worst,
    worstMs: Math.max(endpointMax, worst?.latencyMs ?? 0),
    slowest: slowestWork({
      flagged: input.flagged,
      workerTimeouts: input.serverEvents.filter((e) => e.kind === 'worker-timeout').length,
      timeoutMs: input.server.timeoutS * 1000,
      endpointMaxMs: endpointMax,
    }),
  };
}

/**
 * The checks of a run that did not finish (interrupted, or stopped by an error): nothing was
 * judged, and the one check that failed is the run itself. The reports read these as they read a
 * verdict's, so no report judges a result on its own.
 */
export function unfinishedChecks(ended: { aborted: boolean; error?: { message: string } }): Check[] {
  return [
    {
      name: 'the run completed',
      passed: false,
      message: ended.aborted
        ? 'interrupted: partial result'
        : `did not complete: ${ended.error?.message ?? ''}`,
    },
  ];
}
