// What the top of every report says: the verdict, its reasons, and the timeout budget (T, where
// it came from, the slowest request as a share of it). Shared by HTML, Markdown and console.
import { EDGE_PROFILES, type EdgeProfileName, edgeProfiles } from '../edge/profiles.js';
import type { Finding, RunResult, RunStatus } from '../result/types.js';
import { formatDuration, formatShare } from '../units/index.js';
import { timeoutOrigin } from '../verdict/format.js';

export const DEFAULT_WARN_AT = 0.5;
export const DEFAULT_CRITICAL_AT = 0.8;

const STATUS_LABEL: Record<RunStatus, string> = {
  passed: 'PASSED',
  failed: 'FAILED',
  error: 'ERROR',
  aborted: 'ABORTED',
};

const SOURCE_LABEL: Record<string, string> = {
  flag: 'set with --server-timeout',
  scenario: "set in the scenario's server.timeout",
  image: "read from the image's configuration",
  'server-default': "the server's default",
  'profile-default': "the edge profile's default",
};

export interface TimeoutBudget {
  /** The deadline in ms: the server's worker timeout, or a smaller limit in front of it; 0 = none. */
  timeoutMs: number;
  /** Set when a layer in front is the deadline: `nginx proxy_read_timeout (gunicorn --timeout 2 min behind it)`. */
  deadlineBy?: string;
  timeoutLabel: string;
  sourceLabel: string;
  warnAt: number;
  criticalAt: number;
  slowestMs: number;
  /** slowestMs / timeoutMs (0 when there is no timeout). */
  slowestShare: number;
  slowestLabel: string;
  workerTimeouts: number;
}

export function statusLabel(status: RunStatus): string {
  return STATUS_LABEL[status] ?? String(status).toUpperCase();
}

/** Fail findings first, then warnings: the reasons the banner lists. */
export function verdictReasons(result: RunResult): Finding[] {
  const fails = result.findings.filter((f) => f.severity === 'fail');
  const warns = result.findings.filter((f) => f.severity === 'warn');
  return [...fails, ...warns];
}

/** One sentence under the verdict word. */
export function verdictHeadline(result: RunResult): string {
  const fails = result.findings.filter((f) => f.severity === 'fail').length;
  const warns = result.findings.filter((f) => f.severity === 'warn').length;
  switch (result.status) {
    case 'passed':
      return warns > 0 ? `Ship it, with ${plural(warns, 'warning')} to read.` : 'Every check passed.';
    case 'failed':
      return `Do not ship: ${plural(fails, 'problem')}${warns > 0 ? `, ${plural(warns, 'warning')}` : ''}.`;
    case 'aborted':
      return 'The run was interrupted: the figures below cover the traffic sent before the interrupt.';
    default:
      return `The run did not complete${result.meta?.error ? `: ${result.meta.error}` : '.'}`;
  }
}

export function timeoutBudget(result: RunResult): TimeoutBudget {
  const server = result.target.server;
  // A layer in front with a smaller limit than the worker's is the deadline (docs/timeout-chain.md).
  const front = result.target.chain?.find(
    (l) =>
      l.layer !== 'server' &&
      l.timeoutS > 0 &&
      l.timeoutS === result.target.deadlineS &&
      (server.timeoutS <= 0 || l.timeoutS < server.timeoutS),
  );
  const timeoutMs = Math.max(0, (front?.timeoutS ?? server.timeoutS) * 1_000);
  let slowestMs = 0;
  for (const e of result.requests.byEndpoint) slowestMs = Math.max(slowestMs, e.latencyMs.max);
  for (const f of result.flagged) slowestMs = Math.max(slowestMs, f.latencyMs);
  for (const row of result.timeline) slowestMs = Math.max(slowestMs, row.max);
  const slowestShare = timeoutMs > 0 ? slowestMs / timeoutMs : 0;
  let workerTimeouts = 0;
  // Before the traffic (boot, setup, readiness) is not the run's, as the verdict counts it.
  for (const e of result.serverEvents)
    if (e.kind === 'worker-timeout' && !e.beforeTraffic) workerTimeouts += 1;
  const kind = server.kind && server.kind !== 'unknown' ? `${server.kind} ` : '';
  if (front) {
    // An emulated edge layer names its own setting and where its figure came from.
    const edge =
      front.layer === 'edge' && (EDGE_PROFILES as readonly string[]).includes(front.kind)
        ? edgeProfiles[front.kind as EdgeProfileName]
        : undefined;
    const setting =
      front.kind === 'nginx' ? (front.rule.split(':')[0] ?? 'limit') : (edge?.setting ?? 'limit');
    const behind =
      server.timeoutS > 0
        ? `${kind}--timeout ${formatDuration(server.timeoutS * 1000)} behind it`
        : 'no worker timeout behind it';
    return {
      timeoutMs,
      deadlineBy: `${front.kind} ${setting} (${front.layer}; ${behind})`,
      timeoutLabel: `${front.kind} ${setting} ${formatDuration(timeoutMs)}`,
      sourceLabel: edge
        ? front.timeoutSource === 'scenario'
          ? `set in the scenario's edge.${edge.field}, emulated`
          : `${front.kind}'s default, emulated`
        : front.timeoutSource === 'server-default'
          ? `${front.kind}'s default`
          : (SOURCE_LABEL[front.timeoutSource] ?? front.timeoutSource),
      warnAt: result.budgets?.warnAt ?? DEFAULT_WARN_AT,
      criticalAt: result.budgets?.criticalAt ?? DEFAULT_CRITICAL_AT,
      slowestMs,
      slowestShare,
      slowestLabel: `${formatDuration(slowestMs)} = ${formatShare(slowestShare)} of the deadline`,
      workerTimeouts,
    };
  }
  return {
    timeoutMs,
    timeoutLabel:
      timeoutMs > 0 ? `${kind}--timeout ${formatDuration(server.timeoutS * 1000)}` : 'no worker timeout',
    sourceLabel:
      server.timeoutSource === 'flag' || server.timeoutSource === 'server-default'
        ? (SOURCE_LABEL[server.timeoutSource] ?? server.timeoutSource)
        : `${server.timeoutSource === 'scenario' ? 'set in' : 'read from'} ${timeoutOrigin(server)}`,
    warnAt: result.budgets?.warnAt ?? DEFAULT_WARN_AT,
    criticalAt: result.budgets?.criticalAt ?? DEFAULT_CRITICAL_AT,
    slowestMs,
    slowestShare,
    slowestLabel:
      timeoutMs > 0
        ? `${formatDuration(slowestMs)} = ${formatShare(slowestShare)} of the timeout`
        : formatDuration(slowestMs),
    workerTimeouts,
  };
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/**
 * What the server logged as errors before the first request (boot, setup, readiness), said apart
 * from the verdict, which does not count them: `1 error in the server's log, not counted: LINE`.
 * Raw text: each summary makes the line safe for where it goes.
 */
export function errorsBeforeTraffic(result: Pick<RunResult, 'serverEvents'>): string | undefined {
  const early = result.serverEvents.filter((e) => e.beforeTraffic && e.kind === 'error');
  if (early.length === 0) return undefined;
  return `${early.length} error${early.length === 1 ? '' : 's'} in the server's log, not counted: ${early[0]!.line}`;
}
