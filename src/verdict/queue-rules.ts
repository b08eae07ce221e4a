// Waiting for a free worker, as its own finding (warn). gunicorn's --timeout counts only the time
// a request spends in a worker, so requests that queued in the listen backlog are not flagged
// against it (src/observe/relevel.ts); but the wait is real to the user, and a proxy or load
// balancer in front counts it against its own timeout. The fix is capacity or shorter work,
// never a longer worker timeout: the worker was not the slow part.
import type { Finding } from '../result/types.js';
import { formatDuration } from '../units/index.js';
import { plural, requestLabel } from './format.js';
import type { JudgeInput, Rule } from './types.js';

export const queueing: Rule = (input, evidence) => {
  const queue = input.queue;
  if (!queue || evidence.timeoutMs <= 0) return {};
  // The same share of T that flags a request: a wait that long is as much of a proxy's budget.
  const threshold = input.scenario.budgets.warnAt * evidence.timeoutMs;
  const long = queue.waits.filter((w) => w.queueMs >= threshold);
  if (long.length === 0) return {};
  const worst = long.reduce((a, b) => (b.queueMs > a.queueMs ? b : a));
  const mostInWorker = Math.max(...long.map((w) => w.workerMs));
  const finding: Finding = {
    severity: 'warn',
    code: 'queueing',
    title: `Requests waited up to ${formatDuration(worst.queueMs)} for a free worker: ${capacity(input)}, ${queue.mostInFlight} at once`,
    detail:
      `${plural(long.length, 'request')} waited ${formatDuration(threshold)} or more before a worker took ${long.length === 1 ? 'it' : 'them'} ` +
      `(the longest: ${requestLabel(worst)}, ${formatDuration(worst.latencyMs)} in all, ${formatDuration(worst.workerMs)} of it in the worker). ` +
      `The ${formatDuration(evidence.timeoutMs)} worker timeout counts only the time in the worker (up to ${formatDuration(mostInWorker)} here), ` +
      'so they are levelled on that; a proxy or load balancer in front counts the wait as well.',
    advice: advice(input, worst),
  };
  return { findings: [finding] };
};

/** `1 sync worker`, `3 gthread workers`, `workers` when the count is unknown. */
function capacity(input: JudgeInput): string {
  const kind = input.server.workerClass ?? (input.server.kind === 'gunicorn' ? 'sync' : '');
  const noun = kind ? `${kind} worker` : 'worker';
  return input.server.workers !== undefined ? plural(input.server.workers, noun) : `${noun}s`;
}

function advice(input: JudgeInput, worst: { method: string; path: string; endpoint: string }): string {
  const { server } = input;
  const cls = server.workerClass ?? (server.kind === 'gunicorn' ? 'sync' : undefined);
  const more =
    server.workers !== undefined
      ? `Run more workers than ${server.workers} (--workers; 2-4 per core is gunicorn's rule of thumb)`
      : 'Run more workers (--workers)';
  const threads =
    cls === 'sync'
      ? ', or threads if the requests mostly wait on the database or an API (--worker-class gthread --threads 4)'
      : '';
  return `${more}${threads}, or move the slow work of ${requestLabel(worst)} to a background job so the request returns at once. A longer --timeout would not shorten the wait.`;
}
