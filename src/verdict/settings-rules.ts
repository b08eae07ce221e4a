// The settings this run's numbers support, as one info finding in every run of a gunicorn app
// (issue 16, item 4): the worker --timeout the measured work needs, and the workers or threads
// the measured concurrency needs. Numbers only from what the run measured:
//   - timeout: the slowest work (./worker-time.ts: time in the worker when the access log gave
//     it, a floor when it was killed) times TIMEOUT_MARGIN (1.5, said in the text), rounded up
//     to whole seconds. Past SANE_TIMEOUT_S no timeout is advised: a request that long outlives
//     the layers in front (a load balancer's 60 s idle timeout, nginx's 60 s proxy_read_timeout,
//     Heroku's 30 s router), so the work belongs in a background job;
//   - the layer in front: whatever proxies to the app must wait at least as long as the timeout,
//     plus the time a request waits for a free worker (the proxy counts it, gunicorn does not);
//   - workers: the most slow requests in flight at once (the queue observation,
//     src/observe/relevel.ts) is how many a worker pool must hold at once for none to wait.
//     Up to gunicorn's 2 x cores + 1 that many sync workers; past it, threads (gthread) on that
//     many workers, which helps only when the requests wait on I/O (said so).
import type { Finding } from '../result/types.js';
import { formatDuration as seconds } from '../units/index.js';
import { plural, setTo, setToShort, settingOrigin } from './format.js';
import type { Evidence, JudgeInput, Rule } from './types.js';
import { suggestedTimeoutS, TIMEOUT_MARGIN } from './worker-time.js';

/** Past this a timeout is no fix: the layers in front cut the request first (ALB 60 s, nginx 60 s). */
export const SANE_TIMEOUT_S = 60;

export const recommendedSettings: Rule = (input, evidence) => {
  if (input.server.kind !== 'gunicorn') return {};
  // A run with nothing slow (no request flagged, no worker killed) needs no settings changed.
  if (input.flagged.length === 0 && evidence.workerTimeouts.length === 0) return {};
  const timeout = timeoutSentence(input, evidence);
  const workers = workersSentence(input, evidence);
  if (!timeout && !workers) return {};
  const finding: Finding = {
    severity: 'info',
    code: 'recommended-settings',
    title: titleOf(timeout, workers),
    detail: [timeout?.detail, workers?.detail].filter(Boolean).join(' '),
    advice: [timeout?.advice, workers?.advice].filter(Boolean).join(' '),
  };
  return { findings: [finding] };
};

interface Sentence {
  /** For the title: `--timeout 7`, `--workers 5`, `a background job`. */
  short: string;
  detail: string;
  advice: string;
}

function titleOf(timeout?: Sentence, workers?: Sentence): string {
  const parts = [timeout?.short, workers?.short].filter(Boolean);
  return `Settings from this run's numbers: ${parts.join(', ')}`;
}

export function timeoutSentence(input: JudgeInput, evidence: Evidence): Sentence | undefined {
  const w = evidence.slowest;
  if (!w || !(w.ms > 0)) return undefined;
  const value = suggestedTimeoutS(w.ms);
  const T = input.server.timeoutS;
  const basis = w.cutShort
    ? `the ${seconds(w.ms)} the slowest request had run ${w.basis === 'worker' ? 'in a worker' : '(client latency)'} when it was cut off`
    : w.basis === 'worker'
      ? `the ${seconds(w.ms)} the slowest request spent in a worker`
      : `the slowest request's ${seconds(w.ms)} of client latency (which includes time queued for a worker: the server's log gave no time in the worker)`;
  const floor = w.cutShort ? ' That is a floor: the work needs longer than it got.' : '';
  if (value > SANE_TIMEOUT_S)
    return {
      short: 'the work out of the request',
      detail: `${TIMEOUT_MARGIN}x ${basis} is ${value} s, past ${SANE_TIMEOUT_S} s.${floor}`,
      advice: `No worker timeout makes that safe: a load balancer (AWS ALB: 60 s idle) or nginx (proxy_read_timeout 60 s) in front cuts the request first. Move the work out of the request into a background job that the request starts and the client polls.`,
    };
  const front = `Whatever proxies to the app must wait at least as long (nginx proxy_read_timeout, a load balancer's idle timeout ≥ ${value} s), plus any time a request waits for a free worker, which the proxy counts and gunicorn does not.`;
  if (!w.cutShort && T > 0 && T >= value)
    return {
      short: `--timeout ${T} holds`,
      detail: `--timeout ${value} would leave a ${TIMEOUT_MARGIN}x margin over ${basis}; the server's ${T} s is ${T === value ? 'that' : 'more than that'}.`,
      advice: front,
    };
  // Named where the image sets it: `timeout = 31` in its gunicorn.conf.py is no --timeout flag.
  const origin = settingOrigin(input.server, 'timeout');
  const set =
    origin.in === 'file' || origin.in === 'env-args'
      ? `${setTo(origin, '--timeout', 'timeout', value)}${w.cutShort ? ' or more' : ''}`
      : `--timeout ${w.cutShort ? 'to at least ' : ''}${value}`;
  return {
    short: setToShort(origin, '--timeout', 'timeout', value),
    detail: `${origin.in === 'file' || origin.in === 'env-args' ? `A timeout of ${value} s` : `--timeout ${value}`} is ${TIMEOUT_MARGIN}x ${basis} (the margin, rounded up to whole seconds); the server has ${T} s.${floor}`,
    advice: `Set ${set}${w.cutShort ? ', after measuring how long the work really takes' : ''}. ${front}`,
  };
}

export function workersSentence(input: JudgeInput, _evidence: Evidence): Sentence | undefined {
  const queue = input.queue;
  const { server, cores } = input;
  if (!queue || queue.waits.length === 0 || server.workers === undefined) return undefined;
  const need = queue.mostInFlight;
  const workers = server.workers;
  const cls = server.workerClass ?? 'sync';
  // The server's thread count is not detected: a gthread pool is counted one request a worker.
  const slots = workers;
  // A wait shorter than this is the server's own scheduling, not a full pool.
  const waited = queue.waits.filter((w) => w.queueMs >= 100);
  const now = plural(workers, `${cls} worker`);
  const measured = `Up to ${need} of the slow requests were in flight at once${waited.length > 0 ? ` and ${plural(waited.length, 'request')} waited ${seconds(Math.max(...waited.map((w) => w.queueMs)))} at most for a worker` : ', and none waited for a worker'}; the server runs ${now}.`;
  if (need <= slots && waited.length === 0)
    return {
      short: `--workers ${workers} hold`,
      detail: measured,
      advice: `${now} held this run's concurrency.`,
    };
  const ceiling = cores !== undefined && cores > 0 ? 2 * cores + 1 : undefined;
  if (ceiling === undefined || need <= ceiling)
    return {
      short: `--workers ${Math.max(need, workers)}`,
      detail: measured,
      advice: `Run --workers ${Math.max(need, workers)} so each of them gets a worker at once${ceiling !== undefined ? ` (within gunicorn's 2 × cores + 1 = ${ceiling} for ${plural(cores!, 'core')})` : ''}.`,
    };
  const perWorker = Math.ceil(need / ceiling);
  return {
    short: `--workers ${ceiling} --threads ${perWorker}`,
    detail: measured,
    advice: `${need} at once is more than gunicorn's 2 × cores + 1 = ${ceiling} workers for ${plural(cores!, 'core')}: run --workers ${ceiling} --worker-class gthread --threads ${perWorker} (${ceiling * perWorker} at once), which helps only while the requests wait on the database or an API; CPU-bound work needs more cores or instances.`,
  };
}
