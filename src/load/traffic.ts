// All the traffic of a scenario: load phases in order, flows alongside (from their `start`
// offsets), every request into one Recorder, live progress about once a second. Resolves when
// the last phase and the last flow are done, or soon after the signal aborts.
import { Agent } from 'undici';
import type { Flow, LoadPhase } from '../scenario/types.js';
import { seqCounter } from '../templates/template.js';
import { checkFlow, type FlowOutcome, flowEndpoints, runFlow } from './flows.js';
import type { PhaseAccount } from './phase-account.js';
import { checkPhase, DEFAULT_CLIENT_TIMEOUT_MS, runPhase } from './phases.js';
import type { Recorder, RecorderSnapshot } from './recorder.js';

export type { FlowOutcome } from './flows.js';
export type { PhaseAccount } from './phase-account.js';

export interface TrafficOptions {
  baseUrl: string;
  phases: LoadPhase[];
  flows: Flow[];
  /** What templates pick from: each mock's values by mock name, e.g. `{ tmdb: { ids: [...] } }`. */
  values: Record<string, unknown>;
  recorder: Recorder;
  signal: AbortSignal;
  /** Every request's client timeout; must exceed the server's worker timeout. Default 10 min. */
  clientTimeoutMs?: number;
  /** Masks the run's secrets in text kept from responses (flow failure snippets). */
  mask?: (text: string) => string;
  /** Seed of template values and the request mix. Default 1. */
  seed?: number;
  /** About once a second: the recorder's figures and what runs (a phase name, or `flows`). */
  onProgress?: (snapshot: RecorderSnapshot, phase: string) => void;
  progressEveryMs?: number;
}

export interface TrafficOutcome {
  flows: FlowOutcome[];
  /** One account per phase that started, in order: planned, sent, dropped, cut off. */
  phases: PhaseAccount[];
}

export async function runTraffic(options: TrafficOptions): Promise<TrafficOutcome> {
  const { recorder, phases, flows } = options;
  // Check every template against the values before sending anything.
  for (const p of phases) checkPhase(p, options.values, options.baseUrl);
  for (const f of flows) checkFlow(f, options.values);
  // Endpoints listed in scenario order (phases, then flows), whatever runs first.
  for (const p of phases)
    for (const r of p.requests)
      recorder.declare({ group: p.name, endpoint: r.name, method: r.method, path: r.path });
  for (const f of flows) for (const e of flowEndpoints(f)) recorder.declare({ group: f.name, ...e });

  const clientTimeoutMs = options.clientTimeoutMs ?? DEFAULT_CLIENT_TIMEOUT_MS;
  // Our own controller: a failing phase stops the flows too.
  const stop = new AbortController();
  const onAbort = () => stop.abort(options.signal.reason);
  options.signal.addEventListener('abort', onAbort, { once: true });
  if (options.signal.aborted) stop.abort(options.signal.reason);

  const dispatcher = new Agent({ headersTimeout: clientTimeoutMs, bodyTimeout: clientTimeoutMs });
  const startedAt = Date.now();
  recorder.start(startedAt);
  let running = phases[0]?.name ?? 'flows';
  const progress = setInterval(
    () => options.onProgress?.(recorder.snapshot(), running),
    options.progressEveryMs ?? 1000,
  );

  const common = {
    baseUrl: options.baseUrl,
    values: options.values,
    recorder,
    signal: stop.signal,
    seed: options.seed,
    // One {{seq}} counter for the whole run: no two requests of a run render the same number,
    // whichever phase, flow or copy sends them (two users posting "Book {{seq}}" never collide).
    nextSeq: seqCounter(),
  };
  const flowsDone = Promise.all(
    flows.map((f) => runFlow(f, { ...common, dispatcher, startedAt, mask: options.mask })),
  );
  // Keep a rejection from surfacing as unhandled while phases still run; it is awaited below.
  flowsDone.catch(() => undefined);
  const accounts: PhaseAccount[] = [];
  try {
    for (const phase of phases) {
      if (stop.signal.aborted) break;
      running = phase.name;
      accounts.push(await runPhase(phase, { ...common, clientTimeoutMs }));
    }
    running = flows.length > 0 ? 'flows' : running;
    return { flows: (await flowsDone).flat(), phases: accounts };
  } catch (error) {
    stop.abort(error);
    await flowsDone.catch(() => undefined);
    throw error;
  } finally {
    clearInterval(progress);
    options.signal.removeEventListener('abort', onAbort);
    options.onProgress?.(recorder.snapshot(), running);
    await (stop.signal.aborted ? dispatcher.destroy() : dispatcher.close());
  }
}
