// What the server did to the requests: killed ones (always a failure), critical ones (a failure
// unless the scenario says otherwise), approaching ones (a warning), worker timeouts over the
// allowance, workers killed without a timeout (OOM), and errors in the server's log.
import type { Finding, FlaggedRequest, ServerEvent } from '../result/types.js';
import { formatDuration, formatShare } from '../units/index.js';
import { adviseTimeout } from './advice.js';
import { clock, plural, requestLabel } from './format.js';
import type { Rule } from './types.js';
import { timeOf } from './worker-time.js';

const EXAMPLES = 3;

export const killedRequests: Rule = (input, evidence) => {
  const count = Math.max(input.flaggedTotal.killed, evidence.killed.length);
  const check = {
    name: 'no request killed by the server',
    passed: count === 0,
    message: `${plural(count, 'request')} killed`,
  };
  if (count === 0) return { checks: [check] };
  const lines = evidence.killed.slice(0, EXAMPLES).map((f) => {
    const answer =
      f.status !== undefined ? `HTTP ${f.status}` : `no response${f.error ? ` (${f.error})` : ''}`;
    // Without an event the level comes from the client alone: no answer at or past the timeout.
    const event = f.serverEvent
      ? `: ${eventName(f.serverEvent)} at ${clock(f.serverEvent.at)}`
      : ' (client latency; no server log line ties it to a kill)';
    return `${requestLabel(f)} got ${answer} after ${formatDuration(f.latencyMs)}${event}.`;
  });
  return {
    checks: [check],
    findings: [
      {
        severity: 'fail',
        code: 'killed-requests',
        title: killedTitle(count, evidence.killed, evidence.timeoutMs),
        detail: lines.join(' ') + more(count, lines.length),
        // Without the server's log (--url runs) no worker-timeout finding carries the advice.
        ...(evidence.workerTimeouts.length === 0 ? { advice: adviseTimeout(input, evidence) } : {}),
      },
    ],
  };
};

export const criticalRequests: Rule = (input, evidence) => {
  const { criticalAt, failOnCritical } = input.scenario.budgets;
  const count = input.flaggedTotal.critical;
  const share = formatShare(criticalAt);
  const check = {
    name: `no request at or above ${share} of the server timeout`,
    passed: count === 0 || !failOnCritical,
    message: `${plural(count, 'request')} at or above ${formatDuration(criticalAt * evidence.timeoutMs)}`,
  };
  if (count === 0) return { checks: [check] };
  return {
    checks: [check],
    findings: [
      {
        severity: failOnCritical ? 'fail' : 'warn',
        code: 'critical-requests',
        title: `${plural(count, 'request')} at or above ${share} of the ${formatDuration(evidence.timeoutMs)} timeout`,
        detail: slowest(input.flagged, 'critical', evidence.timeoutMs),
        advice:
          evidence.workerTimeouts.length === 0 && evidence.killed.length === 0
            ? `${closeness(input.flagged)} ${adviseTimeout(input, evidence)}`
            : `${closeness(input.flagged)} The timeout advice above applies to them too.`,
      },
    ],
  };
};

export const approachingRequests: Rule = (input, evidence) => {
  const count = input.flaggedTotal.approaching;
  if (count === 0) return {};
  return {
    findings: [
      {
        severity: 'warn',
        code: 'approaching-requests',
        title: `${plural(count, 'request')} at or above ${formatShare(input.scenario.budgets.warnAt)} of the ${formatDuration(evidence.timeoutMs)} timeout`,
        detail: slowest(input.flagged, 'approaching', evidence.timeoutMs),
      },
    ],
  };
};

export const workerTimeouts: Rule = (input, evidence) => {
  const allowed = input.scenario.budgets.workerTimeouts;
  const events = evidence.workerTimeouts;
  const passed = events.length <= allowed;
  const check = {
    name: `worker timeouts <= ${allowed}`,
    passed,
    message: `${plural(events.length, 'worker timeout')} in the server log`,
  };
  if (events.length === 0) return { checks: [check] };
  const matched = new Set(input.flagged.flatMap((f) => (f.serverEvent ? [eventKey(f.serverEvent)] : [])));
  const unmatched = events.filter((e) => !matched.has(eventKey(e)));
  const lines = events.slice(0, EXAMPLES).map((e) => (e.path ? `${e.line} (request ${e.path})` : e.line));
  const findings: Finding[] = [
    {
      severity: passed ? 'warn' : 'fail',
      code: 'worker-timeout',
      title: `${plural(events.length, 'worker timeout')}: ${serverName(input.server.kind)} killed ${events.length === 1 ? 'a worker' : 'workers'} (allowed: ${allowed})`,
      detail: lines.join('\n') + more(events.length, lines.length),
      advice: adviseTimeout(input, evidence),
    },
  ];
  if (unmatched.length > 0) {
    findings.push({
      severity: 'warn',
      code: 'unmatched-timeout',
      title: `${plural(unmatched.length, 'worker timeout')} matched no request of this run`,
      detail: `${unmatched
        .slice(0, EXAMPLES)
        .map((e) => `${eventName(e)} at ${clock(e.at)}`)
        .join(
          ', ',
        )}: no request the harness sent failed near that time, so the killed work was something else (a health check, a background call) or a request outside the matching window.`,
    });
  }
  return { checks: [check], findings };
};

/** A SIGKILL with no timeout before it: the kernel's OOM killer, most often. */
export const killedWorkers: Rule = (input) => {
  const timeouts = input.serverEvents.filter((e) => e.kind === 'worker-timeout');
  const kills = input.serverEvents.filter(
    (e) =>
      e.kind === 'worker-killed' &&
      !timeouts.some((t) => t.pid === e.pid && Math.abs(Date.parse(t.at) - Date.parse(e.at)) <= 5_000),
  );
  if (kills.length === 0) return {};
  return {
    findings: [
      {
        severity: 'warn',
        code: 'worker-killed',
        title: `${plural(kills.length, 'worker')} killed without a timeout (out of memory?)`,
        detail: kills
          .slice(0, EXAMPLES)
          .map((e) => e.line)
          .join('\n'),
        advice:
          'A worker killed by signal 9 with no timeout before it was most likely stopped by the kernel for memory. Check the memory limit of the container and what the request loads into memory (a whole table, a large response).',
      },
    ],
  };
};

export const serverErrors: Rule = (input) => {
  const errors = input.serverEvents.filter((e) => e.kind === 'error');
  if (errors.length === 0) return {};
  const distinct = [...new Map(errors.map((e) => [e.line.replace(/^\[[^\]]*\] \[\d+\] /, ''), e])).values()];
  return {
    findings: [
      {
        severity: 'warn',
        code: 'server-errors',
        title: `${plural(errors.length, 'error')} in the server's log`,
        detail: distinct
          .slice(0, EXAMPLES)
          .map((e) => e.line)
          .join('\n'),
      },
    ],
  };
};

/** Each figure says what it measured: time in a worker, or client latency (queueing included). */
function slowest(flagged: FlaggedRequest[], level: FlaggedRequest['level'], timeoutMs: number): string {
  const top = flagged
    .filter((f) => f.level === level)
    .map((f) => ({ f, t: timeOf(f) }))
    .sort((a, b) => b.t.ms - a.t.ms);
  if (top.length === 0 || timeoutMs <= 0) return 'The requests were counted beyond the per-request cap.';
  const { f, t } = top[0]!;
  const share = formatShare(t.ms / timeoutMs);
  const head =
    t.basis === 'worker'
      ? `spent ${formatDuration(t.ms)} in a worker (${share} of the timeout)`
      : `took ${formatDuration(t.ms)} (client latency, ${share} of the timeout)`;
  const others = top
    .slice(1, EXAMPLES)
    .map(
      (o) => `${requestLabel(o.f)} ${formatDuration(o.t.ms)}${o.t.basis === 'worker' ? ' in a worker' : ''}`,
    )
    .join(', ');
  return `Slowest: ${requestLabel(f)} ${head}${others ? `; then ${others}` : ''}.`;
}

/** Why a critical request matters, as far as its measurement goes. */
function closeness(flagged: FlaggedRequest[]): string {
  const critical = flagged.filter((f) => f.level === 'critical').map(timeOf);
  if (critical.length > 0 && critical.every((t) => t.basis === 'worker'))
    return 'These requests spent most of the timeout in a worker: a little more and the server kills them.';
  return 'Measured as client latency, which includes time queued for a worker; the server kills a request only for its time in the worker.';
}

/** "killed by the server" only as far as the server's log says so. */
function killedTitle(count: number, killed: FlaggedRequest[], timeoutMs: number): string {
  const tied = killed.filter((f) => f.serverEvent).length;
  if (tied === killed.length) return `${plural(count, 'request')} killed by the server`;
  if (tied === 0)
    return `${plural(count, 'request')} with no response at or past the ${formatDuration(timeoutMs)} timeout (killed)`;
  return `${plural(count, 'request')} killed (${tied} tied to a kill in the server's log)`;
}

function eventName(e: ServerEvent): string {
  const m = /WORKER TIMEOUT \(pid:\d+\)|HARAKIRI ON WORKER \d+ \(pid: \d+/.exec(e.line);
  if (m) return m[0].startsWith('HARAKIRI') ? `${m[0]})` : m[0];
  return `${e.kind}${e.pid !== undefined ? ` (pid ${e.pid})` : ''}`;
}

function eventKey(e: ServerEvent): string {
  return `${e.at}|${e.pid}|${e.line}`;
}

function serverName(kind: string): string {
  return kind === 'unknown' ? 'the server' : kind;
}

function more(total: number, shown: number): string {
  return total > shown ? ` (${total - shown} more)` : '';
}
