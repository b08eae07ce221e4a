// Puts the stages' outputs together into result.json (schemaVersion 1). Pure: every value comes in
// as an argument, so a result can be assembled in tests without starting anything.
import type { Traffic } from '../load/recorder.js';
import type {
  Finding,
  FlaggedRequest,
  IntegrityResult,
  MockSummary,
  PhaseAccount,
  RunError,
  RunResult,
  RunStatus,
  ServerConfig,
  ServerEvent,
} from '../result/types.js';
import type { Scenario } from '../scenario/types.js';

export interface AssembleInput {
  runId: string;
  startedAt: Date;
  finishedAt: Date;
  scenario: Scenario;
  mode: 'containers' | 'url';
  baseUrl: string;
  image?: string;
  server: ServerConfig;
  traffic?: Traffic;
  /** What each load phase planned, sent, dropped and cut off. */
  phases?: PhaseAccount[];
  /** Per-endpoint HDR histograms (Recorder.encodedHistograms()), for `compare`. */
  histograms?: Record<string, string>;
  correlation?: { flagged: FlaggedRequest[] };
  /** The totals recounted after re-levelling (src/observe/relevel.ts), when the run did that. */
  flaggedTotal?: RunResult['flaggedTotal'];
  serverEvents: ServerEvent[];
  mocks: MockSummary[];
  integrity: IntegrityResult[];
  verdict?: {
    findings: Finding[];
    checks?: RunResult['checks'];
    flaggedTotal?: RunResult['flaggedTotal'];
    headroom?: RunResult['headroom'];
  };
  containers?: { name: string; image: string; startMs: number }[];
  status: RunStatus;
  /** Why the run did not complete (status `error`): the error's stable code, message and fix. */
  error?: RunError;
  versions?: Record<string, string>;
}

const emptyRequests: RunResult['requests'] = { total: 0, ok: 0, errors: 0, byEndpoint: [] };

export function assembleResult(input: AssembleInput): RunResult {
  const { scenario, traffic } = input;
  const flagged = input.correlation?.flagged ?? traffic?.flagged ?? [];
  const findings = [...(input.verdict?.findings ?? [])];
  if (input.error) {
    findings.unshift({
      severity: 'fail',
      code: 'run-error',
      title: 'The run did not complete',
      detail: input.error.message,
    });
  }
  if (input.status === 'aborted') {
    findings.unshift({
      severity: 'info',
      code: 'run-aborted',
      title: 'The run was interrupted',
      detail: `Partial result: traffic stopped at the interrupt and everything started was torn down.${cutOffLine(input.phases ?? [])}`,
    });
  }
  return {
    schemaVersion: 1,
    runId: input.runId,
    startedAt: input.startedAt.toISOString(),
    finishedAt: input.finishedAt.toISOString(),
    status: input.status,
    scenario: { name: scenario.name, file: scenario.file, description: scenario.description },
    target: { mode: input.mode, baseUrl: input.baseUrl, image: input.image, server: input.server },
    requests: traffic?.requests ?? emptyRequests,
    // The wall-clock time of timeline second 0, so a report can place server events on it.
    trafficStartedAt: traffic ? new Date(traffic.startedAt).toISOString() : undefined,
    timeline: traffic?.timeline ?? [],
    phases: input.phases,
    flagged,
    flaggedDropped: traffic?.flaggedDropped ?? 0,
    flaggedTotal:
      input.verdict?.flaggedTotal ?? input.flaggedTotal ?? countByLevel(flagged, traffic?.flaggedTotal),
    serverEvents: input.serverEvents,
    mocks: input.mocks,
    integrity: input.integrity,
    findings,
    checks: input.verdict?.checks,
    headroom: input.verdict?.headroom,
    budgets: {
      warnAt: scenario.budgets.warnAt,
      criticalAt: scenario.budgets.criticalAt,
      workerTimeouts: scenario.budgets.workerTimeouts,
      errorRate: scenario.budgets.errorRate,
    },
    histogram: traffic?.histogram,
    histograms: input.histograms && Object.keys(input.histograms).length > 0 ? input.histograms : undefined,
    meta: {
      versions: input.versions,
      containers: input.containers,
      env: scenario.stack.app?.env,
      durationMs: input.finishedAt.getTime() - input.startedAt.getTime(),
      error: input.error?.message,
    },
    error: input.error,
  };
}

/** What the interrupt kept from being measured: requests in flight cut, and planned ones never sent. */
function cutOffLine(phases: PhaseAccount[]): string {
  const cut = phases.reduce((n, p) => n + p.cutOff, 0);
  const unsent = phases.reduce((n, p) => n + p.unsent, 0);
  if (cut === 0 && unsent === 0) return '';
  return ` ${cut} request${cut === 1 ? '' : 's'} in flight ${cut === 1 ? 'was' : 'were'} cut off and ${unsent} planned ${unsent === 1 ? 'was' : 'were'} never sent; they are not in the figures.`;
}

/** Counts of the kept list, raised to the recorder's totals where the cap dropped requests. */
export function countByLevel(
  flagged: FlaggedRequest[],
  recorded?: RunResult['flaggedTotal'],
): RunResult['flaggedTotal'] {
  const counts = { approaching: 0, critical: 0, killed: 0 };
  for (const f of flagged) counts[f.level] += 1;
  if (!recorded) return counts;
  const dropped = Math.max(0, recorded.approaching + recorded.critical + recorded.killed - flagged.length);
  // Requests beyond the cap were never correlated: they keep the level the recorder gave them,
  // which we can only count in aggregate. Attribute the dropped ones to their recorded levels.
  if (dropped > 0) {
    counts.approaching = Math.max(counts.approaching, recorded.approaching);
    counts.critical = Math.max(counts.critical, recorded.critical);
    counts.killed = Math.max(counts.killed, recorded.killed);
  }
  return counts;
}
