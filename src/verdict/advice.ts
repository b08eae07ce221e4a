// Advice in plain words, from what happened and the server's detected configuration: what a
// senior engineer would say looking at this run. Facts behind the wording: FIELD-NOTES.md
// (gunicorn's sync worker heartbeat, gthread outliving --timeout, keep-alive vs load balancers,
// Django autocommit leaving partial imports).
import type { Finding } from '../result/types.js';
import { plural, seconds } from './format.js';
import type { Evidence, JudgeInput, Rule } from './types.js';

/** AWS ALB's default idle timeout: the common load balancer in front of gunicorn. */
const LOAD_BALANCER_IDLE_S = 60;

/** The stopgap timeout to name: the worst case with half again as much headroom, in whole seconds. */
export function suggestedTimeoutS(worstMs: number): number {
  return Math.max(1, Math.round((worstMs * 1.5) / 1000));
}

/** The timeout advice, attached to the worker-timeout finding (and used when only critical requests warn). */
export function adviseTimeout(input: JudgeInput, evidence: Evidence): string {
  const { server } = input;
  const worst = evidence.worstMs;
  const killed = evidence.killed.length > 0 || evidence.workerTimeouts.length > 0;
  const setting = timeoutSetting(server.kind);
  const origin =
    server.timeoutSource === 'server-default'
      ? `The server runs with ${server.kind === 'gunicorn' ? "gunicorn's" : 'its'} default timeout of ${server.timeoutS} s (nothing in the image sets ${setting})`
      : `The server's timeout is ${server.timeoutS} s (from ${sourceName(server.timeoutSource)})`;
  const observed = killed
    ? `the slowest request ran ${seconds(worst)} before it was killed, so the work takes longer than that`
    : `the slowest request took ${seconds(worst)}`;
  const target = suggestedTimeoutS(worst);
  return (
    `${origin}, and ${observed}. ` +
    'Move the work out of the request: a background job (Celery or RQ) started by the request, which answers 202 Accepted with a job id the client polls. ' +
    `As a stopgap, set ${setting} above the worst case: ${setting === '--timeout' ? `--timeout ${target}` : `${setting} = ${target}`} (${seconds(worst)} × 1.5)` +
    (killed ? '; measure the real duration first, since the kill cut it short.' : '.')
  );
}

/** Sync workers hold one request each for its whole duration; other worker classes are no cure for CPU. */
export const syncWorkerAdvice: Rule = (input, evidence) => {
  const { server } = input;
  const slow =
    input.flaggedTotal.critical + input.flaggedTotal.killed > 0 || evidence.workerTimeouts.length > 0;
  if (server.kind !== 'gunicorn' || (server.workerClass ?? 'sync') !== 'sync' || !slow) return {};
  const workers = server.workers !== undefined ? plural(server.workers, 'sync worker') : 'sync workers';
  return {
    findings: [
      {
        severity: 'info',
        code: 'sync-worker-long-requests',
        title: 'Each sync worker is blocked for the whole of a long request',
        detail: `gunicorn runs ${workers}; a ${seconds(evidence.worstMs)} request takes one of them out of service for ${seconds(evidence.worstMs)}, and the sync worker tells the master it is alive only between requests, so any request longer than ${server.timeoutS} s is killed.`,
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
  const graceful = server.gracefulTimeoutS ?? 30;
  if (evidence.worstMs <= graceful * 1000 * 0.8) return {};
  return {
    findings: [
      {
        severity: 'info',
        code: 'graceful-timeout',
        title: `Requests run close to or past --graceful-timeout (${graceful} s)`,
        detail: `On a deploy or restart gunicorn gives workers --graceful-timeout (${graceful} s${server.gracefulTimeoutS === undefined ? ', the default' : ''}) to finish; the slowest request here took ${seconds(evidence.worstMs)}, so requests like it are cut at every deploy.`,
        advice: `If long requests stay in the web tier, raise --graceful-timeout with --timeout (e.g. --graceful-timeout ${suggestedTimeoutS(evidence.worstMs)}), and give the orchestrator's stop grace period (Kubernetes terminationGracePeriodSeconds) a little more.`,
      },
    ],
  };
};

/** Non-sync gunicorn workers close idle keep-alive connections after --keep-alive: shorter than the balancer's idle timeout means sporadic 502s. */
export const keepAliveAdvice: Rule = (input) => {
  const { server } = input;
  const keepAlive = server.keepAliveS ?? 2;
  if (server.kind !== 'gunicorn' || server.workerClass === undefined || server.workerClass === 'sync')
    return {};
  if (keepAlive > LOAD_BALANCER_IDLE_S) return {};
  return {
    findings: [
      {
        severity: 'info',
        code: 'keep-alive',
        title: `--keep-alive ${keepAlive} s is shorter than a load balancer's idle timeout`,
        detail: `With ${server.workerClass} workers gunicorn closes an idle keep-alive connection after ${keepAlive} s. A load balancer in front (AWS ALB: ${LOAD_BALANCER_IDLE_S} s idle timeout) may reuse the connection just as gunicorn closes it, and answers that request with a 502.`,
        advice: `Behind a load balancer, set --keep-alive above its idle timeout (e.g. --keep-alive ${LOAD_BALANCER_IDLE_S + 5} for an ALB's ${LOAD_BALANCER_IDLE_S} s).`,
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
  const saturated =
    input.flaggedTotal.approaching + input.flaggedTotal.critical + input.flaggedTotal.killed > 0;
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
          ? `Slow requests held workers while others queued; gunicorn's rule of thumb for ${plural(cores, 'core')} is 2 × cores + 1 = ${suggested} workers.`
          : `More workers than the cores can run: gunicorn's rule of thumb for ${plural(cores, 'core')} is 2 × cores + 1 = ${suggested}; beyond that, workers compete for CPU and memory.`,
        advice: few
          ? `Run --workers ${suggested}; more workers only buy time while requests wait on I/O, they do not make slow requests fast.`
          : `Run --workers ${suggested} and scale out with more instances instead.`,
      },
    ],
  };
};

/** A failed database check after a kill: the killed request left half its writes behind. */
export const partialImportAdvice: Rule = (input, evidence) => {
  const failed = input.integrity.filter((r) => !r.passed);
  const killed = evidence.killed.length > 0 || evidence.workerTimeouts.length > 0;
  if (failed.length === 0 || !killed) return {};
  const partial = failed.find((r) => r.detail?.startsWith('partial import')) ?? failed[0]!;
  const finding: Finding = {
    severity: 'fail',
    code: 'partial-import',
    title: 'Partial import: the killed request left half-written data',
    detail: `A worker was killed during the run and the database does not hold what the run expected: ${partial.name}: ${partial.detail ?? `expected ${partial.expected}, got ${partial.actual}`}.`,
    advice:
      'Django autocommits each save, so a killed import keeps the rows written so far. Wrap the import in transaction.atomic() so a kill rolls it back, or make each step whole on its own: one page per job, written with bulk upserts (bulk_create(update_conflicts=True)), paginated so every step finishes well inside the timeout and a retry continues where it stopped.',
  };
  return { findings: [finding] };
};

function timeoutSetting(kind: string): string {
  if (kind === 'uwsgi') return 'harakiri';
  return '--timeout';
}

function sourceName(source: string): string {
  return (
    {
      flag: '--server-timeout',
      scenario: "the scenario's server.timeout",
      image: "the image's configuration",
    }[source] ?? source
  );
}
