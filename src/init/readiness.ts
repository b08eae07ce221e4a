// Which path says the app is ready: init starts the starter's own stack (Postgres, the app, its
// setup) with the harness's machinery, waits for the server's port, then asks the common health
// paths and keeps the first that answers 2xx. Probing beats guessing: a wrong ready.path is the
// first run's most common failure, and only the running app knows its routes. Everything started
// is labelled with init's run id and torn down before init writes anything.
import { InterruptedError, isSmokestackError } from '../errors.js';
import { newRunId } from '../run/run-id.js';
import type { Scenario } from '../scenario/types.js';
import { startStack } from '../stack/start-stack.js';
import { Wait } from '../stack/wait.js';
import { pause } from '../util/pause.js';
import { Teardown } from '../util/teardown.js';

/** Tried in this order; the first 2xx wins (/ last: many apps answer / with a page or a 404). */
export const READY_PATHS = ['/healthz', '/health', '/ready', '/api/health', '/'] as const;

export interface PathAnswer {
  path: string;
  /** `200`, `404`, `connection reset`. */
  answer: string;
  status?: number;
}

/** Probed (init asked the running app), read (a compose healthcheck names it), or guessed. */
export type Readiness =
  | { kind: 'probed'; found: boolean; path: string; answers: PathAnswer[] }
  | { kind: 'read'; path: string; from: string }
  | { kind: 'guessed'; path: '/'; why: string; candidates: readonly string[] };

export function notProbed(why: string): Readiness {
  return { kind: 'guessed', path: '/', why, candidates: READY_PATHS };
}

/** How long the server may take to answer at all once its port listens (workers booting). */
const ANSWER_WITHIN_MS = 15_000;

export interface ProbeOptions {
  signal: AbortSignal;
  onProgress?: (message: string) => void;
}

/**
 * Starts `scenario`'s stack (its ready.path is ignored), tries READY_PATHS, tears down. A stack
 * that does not come up is not init's failure: it gives a guess with the reason, and
 * the file says the path is a guess. Ctrl-C tears down and throws InterruptedError.
 */
export async function probeReadiness(scenario: Scenario, options: ProbeOptions): Promise<Readiness> {
  const app = scenario.stack.app!;
  const teardown = new Teardown();
  let ready: Readiness;
  try {
    const stack = await startStack(scenario, {
      runId: newRunId('init'),
      mockUrls: [],
      teardown,
      signal: options.signal,
      onProgress: options.onProgress,
      appReadiness: Wait.forListeningPort(app.port),
    });
    options.onProgress?.(`trying ${READY_PATHS.join(', ')}`);
    ready = await askPaths(Number(new URL(stack.baseUrl).port), options.signal);
  } catch (error) {
    if (error instanceof InterruptedError || options.signal.aborted) throw error;
    const why = isSmokestackError(error) ? error.message : String(error);
    ready = notProbed(`not probed: the image could not be started: ${why.split('\n')[0]}`);
  } finally {
    options.onProgress?.('removing what init started');
    await teardown.run();
  }
  if (options.signal.aborted) throw new InterruptedError(String(options.signal.reason ?? 'SIGINT'));
  return ready;
}

/** Asks every path until each gave an HTTP answer (or the deadline); the first 2xx in order wins. */
async function askPaths(port: number, signal: AbortSignal): Promise<Readiness> {
  const deadline = Date.now() + ANSWER_WITHIN_MS;
  let answers: PathAnswer[] = [];
  for (;;) {
    answers = await Promise.all(READY_PATHS.map((path) => askOne(port, path)));
    const ok = answers.find((a) => a.status !== undefined && a.status >= 200 && a.status < 300);
    if (ok) return { kind: 'probed', found: true, path: ok.path, answers };
    if (answers.every((a) => a.status !== undefined) || Date.now() > deadline || signal.aborted) break;
    await pause(500);
  }
  return { kind: 'probed', found: false, path: '/', answers };
}

/** One GET, redirects not followed (the load phase does not follow them either). */
async function askOne(port: number, path: string): Promise<PathAnswer> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}${path}`, {
      redirect: 'manual',
      signal: AbortSignal.timeout(3_000),
    });
    await res.body?.cancel();
    return { path, answer: String(res.status), status: res.status };
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    return { path, answer: cause === 'ECONNRESET' ? 'connection reset' : (cause ?? 'no answer') };
  }
}
