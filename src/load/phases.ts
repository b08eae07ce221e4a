// One load phase, in one of two models:
//  - open (the phase has `rate:` or `ramp:`): requests go out on the arrival schedule whatever the
//    app's latency (open-model.ts, on undici: autocannon's rate is capped by its connections);
//  - closed (no rate): autocannon's programmatic API, `connections` each sending its next request
//    when the previous one is answered, `duration` or `amount`, `pipelining`.
// Both draw from one weighted request mix with templates, record every request (endpoint, path,
// latency, status or error) in the run's Recorder, and await the requests in flight when the
// phase's time is up: a request the app is still working on is recorded with its real latency and
// outcome, never thrown away (a hung app must fail the gate, not pass with "0 requests").
// The client timeout outlasts the server's, so a request the server kills is seen as its kill.
import { setTimeout as sleep } from 'node:timers/promises';
import autocannon from 'autocannon';
import createDebug from 'debug';
import { UsageError } from '../errors.js';
import type { LoadPhase } from '../scenario/types.js';
import { streamSeed, type TemplateContext, templateContext, tryRender } from '../templates/template.js';
import {
  type ClientOutcome,
  type DrainableClients,
  instrumentClient,
  type SentRequest,
} from './autocannon-client.js';
import { type CompiledRequest, compileRequest } from './http-request.js';
import { type OpenRequest, runOpenPhase } from './open-model.js';
import { newPhaseAccount, type PhaseAccount } from './phase-account.js';
import type { Recorder } from './recorder.js';
import { arrivalSchedule, defaultMaxConnections } from './schedule.js';

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
  /** The run's one `{{seq}}` counter (shared with other phases and flows). Default: one for this phase. */
  nextSeq?: () => number;
}

export const DEFAULT_CLIENT_TIMEOUT_MS = 10 * 60_000;

/** Runs the phase to its end (or until the signal aborts) and says what it did. Rejects only on bad input. */
export async function runPhase(phase: LoadPhase, ctx: PhaseContext): Promise<PhaseAccount> {
  const target = new URL(ctx.baseUrl);
  const compiled = checkPhase(phase, ctx.values, ctx.baseUrl);
  const schedule = arrivalSchedule(phase);
  for (const r of compiled)
    ctx.recorder.declare({
      group: phase.name,
      endpoint: r.spec.name,
      method: r.spec.method,
      path: r.spec.path,
      latencyFrom: schedule ? 'intended' : 'sent',
    });
  const templates = templateContext({
    seed: streamSeed(ctx.seed ?? 1, `load:${phase.name}`),
    values: ctx.values,
    nextSeq: ctx.nextSeq,
  });
  const clientTimeoutMs = ctx.clientTimeoutMs ?? DEFAULT_CLIENT_TIMEOUT_MS;

  if (schedule) {
    const pick = weightedPicker(compiled, templates);
    let lastOpen: OpenRequest | undefined;
    const maxConnections =
      phase.maxConnections ?? defaultMaxConnections(schedule, phase.connections, clientTimeoutMs);
    debug(
      'phase %s: open model, %d planned, connections %d..%d',
      phase.name,
      schedule.total,
      phase.connections,
      maxConnections,
    );
    return runOpenPhase({
      name: phase.name,
      origin: target.origin,
      schedule,
      connections: Math.min(phase.connections, maxConnections),
      maxConnections,
      clientTimeoutMs,
      next: (): OpenRequest => {
        const r = pick();
        try {
          lastOpen = { endpoint: r.spec.name, parts: r.parts(templates) };
        } catch (error) {
          // Values were checked before the phase; a late rendering failure sends the previous request.
          debug('rendering %s failed: %s', r.spec.name, (error as Error).message);
          if (!lastOpen) throw error;
        }
        return lastOpen as OpenRequest;
      },
      recorder: ctx.recorder,
      signal: ctx.signal,
    });
  }
  return runClosedPhase(phase, compiled, templates, ctx, clientTimeoutMs);
}

async function runClosedPhase(
  phase: LoadPhase,
  compiled: CompiledRequest[],
  templates: TemplateContext,
  ctx: PhaseContext,
  clientTimeoutMs: number,
): Promise<PhaseAccount> {
  const pick = weightedPicker(compiled, templates);
  let lastGood: SentRequest | undefined;
  const next = (): SentRequest => {
    const r = pick();
    try {
      lastGood = r.isStatic ? (fixedSent.get(r) as SentRequest) : sent(r, r.build(templates));
    } catch (error) {
      // Values were checked before the phase; a failure here must not throw inside autocannon's
      // socket handlers, so the previous request is sent again.
      debug('rendering %s failed: %s', r.spec.name, (error as Error).message);
      if (!lastGood) throw error;
    }
    return lastGood as SentRequest;
  };
  // Requests with nothing to render are the same object every time.
  const fixedSent = new Map(compiled.filter((r) => r.isStatic).map((r) => [r, sent(r, r.build(templates))]));
  const account = newPhaseAccount({
    name: phase.name,
    model: 'closed',
    planned: phase.amount ?? 0,
    connections: phase.connections,
  });
  const record = (o: ClientOutcome) => {
    account.completed++;
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
  };
  const clients: DrainableClients = { list: [], draining: false, sent: 0 };
  const connections =
    phase.amount !== undefined ? Math.min(phase.connections, phase.amount) : phase.connections;
  debug('phase %s: closed model, %d connections', phase.name, connections);
  await runAutocannon(
    {
      url: new URL(ctx.baseUrl).origin,
      pipelining: phase.pipelining,
      connections,
      // A duration phase is stopped by us (after draining), never by autocannon's own timer, which
      // would destroy the requests in flight; its duration is only a backstop.
      ...(phase.amount !== undefined
        ? { amount: phase.amount }
        : { duration: ((phase.durationMs ?? 0) + clientTimeoutMs) / 1000 + 60 }),
      timeout: Math.ceil(clientTimeoutMs / 1000),
      sampleInt: 100,
      skipAggregateResult: true,
      setupClient: (client: unknown) => instrumentClient(client, next, record, clients),
    },
    ctx.signal,
    phase.amount === undefined ? (phase.durationMs ?? 0) : undefined,
    clients,
    clientTimeoutMs,
  );
  account.sent = clients.sent;
  account.peakInFlight = connections * phase.pipelining;
  account.cutOff = Math.max(0, account.sent - account.completed);
  if (phase.amount !== undefined) account.unsent = Math.max(0, phase.amount - account.sent);
  return account;
}

/**
 * One autocannon run. With `durationMs`, at that time no new request is written, the requests in
 * flight are awaited (up to the client timeout), then the instance stops. On abort it stops at once.
 */
async function runAutocannon(
  options: autocannon.Options & Record<string, unknown>,
  signal: AbortSignal,
  durationMs: number | undefined,
  clients: DrainableClients,
  clientTimeoutMs: number,
): Promise<void> {
  let instance: autocannon.Instance | undefined;
  const done = new Promise<void>((resolve, reject) => {
    instance = autocannon(options, (error) => (error ? reject(error) : resolve()));
  });
  const stop = () => instance?.stop();
  signal.addEventListener('abort', stop, { once: true });
  if (signal.aborted) stop();
  try {
    if (durationMs === undefined) return await done;
    const ended = await Promise.race([
      sleep(durationMs, 'time', { signal }).catch(() => 'aborted'),
      done.then(() => 'done'),
    ]);
    if (ended === 'time') {
      clients.draining = true;
      const deadline = Date.now() + clientTimeoutMs + 1_000;
      while (!signal.aborted && Date.now() < deadline && clients.list.some((c) => c.inFlight() > 0))
        await sleep(20);
      stop();
    }
    await done;
  } finally {
    signal.removeEventListener('abort', stop);
  }
}

/** Each request's spec chosen by weight with the seeded random source. */
function weightedPicker(compiled: CompiledRequest[], ctx: TemplateContext): () => CompiledRequest {
  const total = compiled.reduce((sum, r) => sum + r.spec.weight, 0);
  let acc = 0;
  const cumulative = compiled.map((r) => (acc += r.spec.weight / total));
  return () => {
    let i = 0;
    if (compiled.length > 1) {
      const u = ctx.random();
      while (i < compiled.length - 1 && u >= (cumulative[i] as number)) i++;
    }
    return compiled[i] as CompiledRequest;
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
