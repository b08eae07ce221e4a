// One load phase with autocannon's programmatic API: a weighted request mix with templates,
// `duration` or `amount`, `connections`, `pipelining`, a constant arrival rate (`overallRate`) and
// ramps as consecutive sub-runs, each request recorded (endpoint, path, latency, status or error)
// in the run's Recorder. The client timeout outlasts the server's, so a request the server kills
// is seen as the server's kill, never cut by us first.
import autocannon from 'autocannon';
import createDebug from 'debug';
import { UsageError } from '../errors.js';
import type { LoadPhase } from '../scenario/types.js';
import { type ClientOutcome, instrumentClient, type SentRequest } from './autocannon-client.js';
import { type CompiledRequest, compileRequest } from './http-request.js';
import type { Recorder } from './recorder.js';
import { streamSeed, type TemplateContext, templateContext, tryRender } from './template.js';

const debug = createDebug('smokestack:load');

export interface PhaseContext {
  baseUrl: string;
  /** Values templates pick from, e.g. `{ tmdb: { ids: [...] } }`. */
  values: Record<string, unknown>;
  recorder: Recorder;
  signal: AbortSignal;
  /** Must exceed the server's worker timeout. Default 10 min. */
  clientTimeoutMs?: number;
  /** Seed of the templates' random values. Default 1. */
  seed?: number;
}

export const DEFAULT_CLIENT_TIMEOUT_MS = 10 * 60_000;

/** Runs the phase to its end (or until the signal aborts). Rejects only on bad input. */
export async function runPhase(phase: LoadPhase, ctx: PhaseContext): Promise<void> {
  const target = new URL(ctx.baseUrl);
  const compiled = checkPhase(phase, ctx.values, ctx.baseUrl);
  for (const r of compiled)
    ctx.recorder.declare({
      group: phase.name,
      endpoint: r.spec.name,
      method: r.spec.method,
      path: r.spec.path,
    });

  const templates = templateContext({
    seed: streamSeed(ctx.seed ?? 1, `load:${phase.name}`),
    values: ctx.values,
  });
  const next = weightedPicker(compiled, templates);
  const record = (o: ClientOutcome) =>
    ctx.recorder.record({
      endpoint: o.request.endpoint,
      group: phase.name,
      method: o.request.method,
      path: o.request.path,
      startMs: o.startMs,
      latencyMs: o.latencyMs,
      status: o.status,
      error: o.error,
    });

  const steps = phase.ramp ?? [{ durationMs: phase.durationMs, ratePerSecond: phase.ratePerSecond }];
  for (const [i, step] of steps.entries()) {
    if (ctx.signal.aborted) return;
    debug('phase %s step %d: %o', phase.name, i, step);
    await runOnce(
      {
        url: target.origin,
        pipelining: phase.pipelining,
        ...shape(phase, step),
        timeout: Math.ceil((ctx.clientTimeoutMs ?? DEFAULT_CLIENT_TIMEOUT_MS) / 1000),
        // Check the stop flag every 100 ms, not every second: phases and ramp steps end on time.
        sampleInt: 100,
        skipAggregateResult: true,
        setupClient: (client: unknown) => instrumentClient(client, next, record),
      },
      ctx.signal,
      phase.amount === undefined && step.ratePerSecond !== undefined ? step.durationMs : undefined,
    );
  }
}

/**
 * How long and how fast, in autocannon's terms. A rate over a duration becomes an amount (rate x
 * duration) paced by `overallRate` and stopped at the duration: autocannon's own duration stop
 * lands on a tick just after a new second's burst of requests, which would overshoot the rate.
 */
function shape(
  phase: LoadPhase,
  step: { durationMs?: number; ratePerSecond?: number },
): { connections: number; amount?: number; duration?: number; overallRate?: number } {
  const overallRate =
    step.ratePerSecond === undefined ? undefined : Math.max(1, Math.round(step.ratePerSecond));
  const rate = overallRate === undefined ? {} : { overallRate };
  if (phase.amount !== undefined)
    return { connections: Math.min(phase.connections, phase.amount), amount: phase.amount, ...rate };
  const durationMs = step.durationMs ?? 0;
  if (step.ratePerSecond === undefined)
    return { connections: phase.connections, duration: durationMs / 1000 };
  const amount = Math.max(1, Math.round((step.ratePerSecond * durationMs) / 1000));
  return { connections: Math.min(phase.connections, amount), amount, ...rate };
}

/** One autocannon run; with `durationMs`, stopped then at the latest and not ended before it. */
function runOnce(
  options: autocannon.Options & Record<string, unknown>,
  signal: AbortSignal,
  durationMs?: number,
): Promise<void> {
  const started = Date.now();
  return new Promise<void>((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    const stop = () => instance.stop();
    const instance = autocannon(options, (error) => {
      clearTimeout(timer);
      signal.removeEventListener('abort', stop);
      if (error) reject(error);
      else resolve();
    });
    signal.addEventListener('abort', stop, { once: true });
    if (signal.aborted) stop();
    if (durationMs !== undefined) timer = setTimeout(stop, durationMs);
  }).then(() => {
    const rest = durationMs === undefined || signal.aborted ? 0 : durationMs - (Date.now() - started);
    return rest > 0 ? delay(rest, signal) : undefined;
  });
}

function delay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

/** Each request's spec chosen by weight with the seeded random source, then rendered. */
function weightedPicker(compiled: CompiledRequest[], ctx: TemplateContext): () => SentRequest {
  const total = compiled.reduce((sum, r) => sum + r.spec.weight, 0);
  let acc = 0;
  const cumulative = compiled.map((r) => (acc += r.spec.weight / total));
  // Requests with nothing to render are the same object every time.
  const fixed = compiled.map((r) => (r.isStatic ? sent(r, r.build(ctx)) : undefined));
  let lastGood: SentRequest | undefined;
  return () => {
    let i = 0;
    if (compiled.length > 1) {
      const u = ctx.random();
      while (i < compiled.length - 1 && u >= (cumulative[i] as number)) i++;
    }
    const f = fixed[i];
    if (f) return f;
    const r = compiled[i] as CompiledRequest;
    try {
      lastGood = sent(r, r.build(ctx));
    } catch (error) {
      // Values were checked before the phase; a failure here must not throw inside autocannon's
      // socket handlers, so the previous request is sent again.
      debug('rendering %s failed: %s', r.spec.name, (error as Error).message);
      if (!lastGood) throw error;
    }
    return lastGood as SentRequest;
  };
}

function sent(r: CompiledRequest, built: { buffer: Buffer; path: string }): SentRequest {
  return { requestBuffer: built.buffer, endpoint: r.spec.name, method: r.spec.method, path: built.path };
}

/**
 * Compiles the phase's requests and renders each once against the values (e.g. `{{pick tmdb.ids}}`
 * needs a list): a usage error before any traffic, not a failure inside autocannon's loop.
 */
export function checkPhase(
  phase: LoadPhase,
  values: Record<string, unknown>,
  baseUrl: string,
): CompiledRequest[] {
  const target = new URL(baseUrl);
  const compiled = phase.requests.map((spec) => compileRequest(spec, target));
  const probe = templateContext({ seed: 1, values });
  for (const r of compiled) {
    const problem = tryRender(r.templates, probe);
    if (problem)
      throw new UsageError(`load phase ${phase.name}, request ${r.spec.name}: ${problem}`, {
        fix: 'pick from a list a mock provides, e.g. {{pick tmdb.ids}} with the tmdb mock in the scenario',
      });
  }
  return compiled;
}
