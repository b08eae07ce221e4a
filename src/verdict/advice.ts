// Advice in plain words, from what happened and the server's detected configuration: what a
// senior engineer would say looking at this run, and no more than the run showed. Durations come
// from ./worker-time.ts (time in the worker when the server's log gave it, else client latency,
// said so). Facts behind the wording: docs/findings.md (gunicorn's sync worker heartbeat, gthread
// outliving --timeout, keep-alive vs load balancers). The partial-write rule is ./partial-write.ts.

import { defaultSetting } from '../server/settings.js';
import { formatDuration } from '../units/index.js';
import { frontCap } from './chain-rules.js';
import { plural, setTo, settingOrigin, timeoutOrigin } from './format.js';
import type { Evidence, JudgeInput, Rule } from './types.js';
import { describeWork, queueExplains, recommendTimeout, suggestedTimeoutS } from './worker-time.js';

/** AWS ALB's default idle timeout: the common load balancer in front of gunicorn. */
const LOAD_BALANCER_IDLE_S = 60;

/** The timeout advice, attached to the worker-timeout finding (and used when only critical requests warn). */
export function adviseTimeout(input: JudgeInput, evidence: Evidence): string {
  const { server } = input;
  // A timeout the image sets in gunicorn.conf.py is changed there, as `timeout = N`.
  const setting =
    server.kind === 'gunicorn' && settingOrigin(server, 'timeout').in === 'file'
      ? 'timeout'
      : timeoutSetting(server.kind);
  const origin =
    server.timeoutSource === 'server-default'
      ? `The server runs with ${server.kind === 'gunicorn' ? "gunicorn's" : 'its'} default timeout of ${server.timeoutS} s (nothing in the image sets ${setting})`
      : `The server's timeout is ${server.timeoutS} s (from ${timeoutOrigin(server)})`;
  const w = evidence.slowest;
  const job = `Move the work out of the request: a background job${PYTHON_SERVERS.has(server.kind) ? ' (Celery or RQ)' : ''} started by the request, which answers 202 Accepted with a job id the client polls.`;
  if (!w) return `${origin}. ${job}`;
  if (queueExplains(w, input.scenario.budgets.warnAt, evidence.timeoutMs)) {
    const waited = w.request ? ` of its ${formatDuration(w.request.latencyMs)}` : '';
    return (
      `${origin}, and the slowest request spent only ${formatDuration(w.ms)}${waited} in a worker: the rest was the wait for a free worker, ` +
      `which ${setting} does not count, so a longer ${setting} is no fix. More workers, or the long work moved out of the request, shorten the wait.`
    );
  }
  return `${origin}, and ${describeWork(w)}. ${job} ${recommendTimeout(w, setting)}${frontCap(input, suggestedTimeoutS(w.ms))}`;
}

const PYTHON_SERVERS = new Set(['gunicorn', 'uwsgi', 'uvicorn']);

/** Sync workers hold one request each for its whole duration; other worker classes are no cure for CPU. */
export const syncWorkerAdvice: Rule = (input, evidence) => {
  const { server } = input;
  const slow =
    input.flaggedTotal.critical + input.flaggedTotal.killed > 0 || evidence.workerTimeouts.length > 0;
  if (server.kind !== 'gunicorn' || (server.workerClass ?? 'sync') !== 'sync' || !slow) return {};
  const workers = server.workers !== undefined ? plural(server.workers, 'sync worker') : 'sync workers';
  const slowest = evidence.slowest ? `; ${describeWork(evidence.slowest)}` : '';
  return {
    findings: [
      {
        severity: 'info',
        code: 'sync-worker-long-requests',
        title: 'Each sync worker is blocked for the whole of a long request',
        detail: `gunicorn runs ${workers}, each holding one request for as long as it runs${slowest}. The sync worker tells the master it is alive only between requests, so any request longer than ${server.timeoutS} s in a worker is killed.`,
        advice:
          'Switching to gthread or gevent workers keeps the worker heartbeating during I/O waits, so long requests survive past --timeout; it will not save CPU-bound work (the GIL still serializes it) and only hides the cost. Long work belongs in a background job.',
      },
    ],
  };
};

/** A request longer than --graceful-timeout is cut at every deploy or restart. */
export const gracefulTimeoutAdvice: Rule = (input, evidence) => {
  const { server } = input;
  if (server.kind !== 'gunicorn') return {};
  const graceful = server.gracefulTimeoutS ?? Number(defaultSetting('gunicorn', 'graceful'));
  const w = evidence.slowest;
  // The grace period counts time in the worker; a request still queued is not in one.
  if (!w || w.ms <= graceful * 1000 * 0.8) return {};
  return {
    findings: [
      {
        severity: 'info',
        code: 'graceful-timeout',
        title: `Requests run close to or past --graceful-timeout (${graceful} s)`,
        detail: `On a deploy or restart gunicorn gives workers --graceful-timeout (${graceful} s${server.gracefulTimeoutS === undefined ? ', the default' : ''}) to finish; ${describeWork(w)}. Requests like it are cut at a deploy.`,
        advice: `If long requests stay in the web tier, raise --graceful-timeout with --timeout (e.g. --graceful-timeout ${suggestedTimeoutS(w.ms)}, a 1.5x margin over that ${formatDuration(w.ms)}), and give the orchestrator's stop grace period (Kubernetes terminationGracePeriodSeconds) a little more.`,
      },
    ],
  };
};

/**
 * Non-sync gunicorn workers close idle keep-alive connections after keep-alive seconds: shorter
 * than the balancer's idle timeout means sporadic 502s. Worded in the setting the image uses
 * (`keepalive = 5` in its gunicorn.conf.py, --keep-alive in GUNICORN_CMD_ARGS or the command).
 */
export const keepAliveAdvice: Rule = (input) => {
  const { server } = input;
  const keepAlive = server.keepAliveS ?? 2;
  if (server.kind !== 'gunicorn' || server.workerClass === undefined || server.workerClass === 'sync')
    return {};
  if (keepAlive > LOAD_BALANCER_IDLE_S) return {};
  const origin = settingOrigin(server, 'keep-alive');
  const wanted = LOAD_BALANCER_IDLE_S + 5;
  const now =
    origin.in === 'default'
      ? `gunicorn's default keep-alive of ${keepAlive} s`
      : origin.in === 'file'
        ? `${origin.text} in ${origin.path}`
        : `--keep-alive ${keepAlive} s`;
  const set = `set ${setTo(origin, '--keep-alive', 'keepalive', wanted)}`;
  return {
    findings: [
      {
        severity: 'info',
        code: 'keep-alive',
        title: `${now} is shorter than a load balancer's idle timeout`,
        detail: `From the configuration, not from this run's traffic: with ${server.workerClass} workers gunicorn closes an idle keep-alive connection after ${keepAlive} s. A load balancer in front (AWS ALB: ${LOAD_BALANCER_IDLE_S} s idle timeout) may reuse the connection just as gunicorn closes it, and answers that request with a 502.`,
        advice: `Behind a load balancer, keep gunicorn's keep-alive above its idle timeout: ${set}, above an ALB's ${LOAD_BALANCER_IDLE_S} s.`,
      },
    ],
  };
};

/** gunicorn's rule of thumb: 2 × cores + 1 workers; fewer starve under slow requests, many more thrash. */
export const workersAdvice: Rule = (input) => {
  const { server, cores } = input;
  if (server.kind !== 'gunicorn' || server.workers === undefined || cores === undefined || cores < 1)
    return {};
  const suggested = 2 * cores + 1;
  const slow = input.flaggedTotal.approaching + input.flaggedTotal.critical + input.flaggedTotal.killed;
  const saturated = slow > 0;
  const few = server.workers < suggested && saturated;
  const many = server.workers > 2 * suggested;
  if (!few && !many) return {};
  return {
    findings: [
      {
        severity: 'info',
        code: 'workers-vs-cores',
        title: `${plural(server.workers, 'worker')} on ${plural(cores, 'core')}`,
        detail: few
          ? `${plural(slow, 'request')} ran at or past ${Math.round(input.scenario.budgets.warnAt * 100)}% of the timeout, ${slow === 1 ? 'holding a worker' : 'each holding a worker'} meanwhile; gunicorn's rule of thumb for ${plural(cores, 'core')} is 2 × cores + 1 = ${suggested} workers.`
          : `More workers than the cores can run: gunicorn's rule of thumb for ${plural(cores, 'core')} is 2 × cores + 1 = ${suggested}; beyond that, workers compete for CPU and memory.`,
        advice: few
          ? `Run --workers ${suggested}; more workers only buy time while requests wait on I/O, they do not make slow requests fast.`
          : `Run --workers ${suggested} and scale out with more instances instead.`,
      },
    ],
  };
};

function timeoutSetting(kind: string): string {
  if (kind === 'uwsgi') return 'harakiri';
  return '--timeout';
}
