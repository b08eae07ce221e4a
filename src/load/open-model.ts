// The open model: a phase with `rate:` sends each request when the schedule says, whatever the app's
// latency, as users keep arriving in production whatever the app does. autocannon cannot do this:
// its `overallRate` is capped by its connections (each waits for its response; 5 connections and a
// 500 ms server give ~10/s of a planned 50/s), so a slow app gets less load and looks better. This
// driver runs beside it (autocannon keeps the closed model) on undici: one Client per connection,
// `connections` of them to start, one more whenever every connection is busy at a due time, up to
// `maxConnections` (k6's arrival-rate executors do the same with VUs up to maxVUs). A request due
// when the cap is reached is not sent and is counted as dropped (k6's dropped_iterations).
// Latency counts from the intended send time (wrk2's correction of coordinated omission): a stall
// shows in every percentile it touches instead of vanishing with the requests it kept from going out.
// When the plan ends, requests in flight are awaited (each bounded by the client timeout) and
// recorded with their real outcome; on abort they are cut and counted, as are the plans never sent.
import { setTimeout as sleep } from 'node:timers/promises';
import createDebug from 'debug';
import { Client, type Dispatcher } from 'undici';
import { describe } from './flows.js';
import type { RequestParts } from './http-request.js';
import { newPhaseAccount, type PhaseAccount } from './phase-account.js';
import type { Recorder } from './recorder.js';
import { type ArrivalSchedule, arrivalOffsets } from './schedule.js';

const debug = createDebug('smokestack:load');

/** A request the mix picked, ready for undici. */
export interface OpenRequest {
  endpoint: string;
  parts: RequestParts;
}

export interface OpenPhaseOptions {
  /** The phase name: the recorder's group. */
  name: string;
  origin: string;
  schedule: ArrivalSchedule;
  connections: number;
  maxConnections: number;
  clientTimeoutMs: number;
  next: () => OpenRequest;
  recorder: Recorder;
  signal: AbortSignal;
}

/** Later than this behind schedule, a send is the client's own lag, not the plan (counted as `late`). */
const LATE_MS = 100;
/** The scheduler sleeps at most this long, so an abort or a due request is never far away. */
const TICK_MS = 10;

export async function runOpenPhase(o: OpenPhaseOptions): Promise<PhaseAccount> {
  const account = newPhaseAccount({
    name: o.name,
    model: 'open',
    planned: o.schedule.total,
    connections: o.connections,
    maxConnections: o.maxConnections,
    peakRatePerSecond: o.schedule.peakRatePerSecond,
  });
  const clientOptions = {
    pipelining: 1,
    headersTimeout: o.clientTimeoutMs,
    bodyTimeout: o.clientTimeoutMs,
  } satisfies Client.Options;
  const idle: Client[] = Array.from({ length: o.connections }, () => new Client(o.origin, clientOptions));
  const all = [...idle];
  const inFlight = new Set<Promise<void>>();
  // On abort every connection is destroyed, which ends its request at once (no listener per request).
  const onAbort = () => {
    for (const c of all) c.destroy().catch(() => undefined);
  };
  o.signal.addEventListener('abort', onAbort, { once: true });

  // performance.now() for the schedule (monotonic); epoch ms for the recorder's clock.
  const t0 = performance.now();
  const epoch0 = Date.now();
  let index = 0;
  try {
    for (const offset of arrivalOffsets(o.schedule)) {
      const wait = offset - (performance.now() - t0);
      if (wait > 1) {
        // Sleep in short ticks so an abort is seen at once.
        while (!o.signal.aborted && offset - (performance.now() - t0) > 1)
          await sleep(Math.min(TICK_MS, offset - (performance.now() - t0)), undefined, { ref: true });
      }
      if (o.signal.aborted) break;
      index++;
      const dueEpoch = epoch0 + offset;
      o.recorder.planned(dueEpoch);
      let client = idle.pop();
      if (!client && all.length < o.maxConnections) {
        client = new Client(o.origin, clientOptions);
        all.push(client);
      }
      if (!client) {
        account.dropped++;
        account.firstDroppedAfterMs ??= Math.round(offset);
        continue;
      }
      const lag = performance.now() - t0 - offset;
      if (lag > LATE_MS) account.late++;
      account.sent++;
      o.recorder.sent(Date.now());
      const c = client;
      const p = send(c, o.next(), t0 + offset, dueEpoch, o, account).finally(() => {
        inFlight.delete(p);
        if (!c.destroyed) idle.push(c);
      });
      inFlight.add(p);
      if (inFlight.size > account.peakInFlight) account.peakInFlight = inFlight.size;
    }
    account.unsent = o.schedule.total - index;
    // The plan is done: what is still in flight is awaited, never thrown away (each request ends
    // by the client timeout at the latest, which outlasts the server's own).
    if (inFlight.size > 0) debug('phase %s: awaiting %d in flight', o.name, inFlight.size);
    await Promise.all(inFlight);
  } finally {
    o.signal.removeEventListener('abort', onAbort);
    account.connectionsOpened = all.length;
    await Promise.all(all.map((c) => (o.signal.aborted ? c.destroy() : c.close()).catch(() => undefined)));
  }
  return account;
}

/**
 * One request through undici's dispatch API rather than `request()`: no body stream per response
 * (the body is only counted, never read), which roughly halves the client's CPU per request.
 * Resolves when the request has ended, one way or the other, and has been recorded.
 */
function send(
  client: Client,
  request: OpenRequest,
  duePerf: number,
  dueEpoch: number,
  o: OpenPhaseOptions,
  account: PhaseAccount,
): Promise<void> {
  const { parts } = request;
  return new Promise<void>((resolve) => {
    let status: number | undefined;
    const finish = (error?: unknown) => {
      if (error !== undefined && o.signal.aborted) {
        account.cutOff++;
        return resolve();
      }
      account.completed++;
      o.recorder.record({
        endpoint: request.endpoint,
        group: o.name,
        method: parts.method,
        path: parts.path,
        startMs: dueEpoch,
        latencyMs: performance.now() - duePerf,
        ...(error === undefined ? { status } : { error: describe(error, status !== undefined) }),
      });
      resolve();
    };
    // undici's Client takes the classic handler interface (onConnect … onComplete / onError).
    const handler: Dispatcher.DispatchHandler = {
      onConnect: () => {},
      onHeaders: (statusCode) => {
        status = statusCode;
        return true;
      },
      onData: () => true,
      onComplete: () => finish(),
      onError: (error) => finish(error),
    };
    try {
      client.dispatch(
        {
          method: parts.method as Dispatcher.HttpMethod,
          path: parts.path,
          headers: parts.headers,
          body: parts.body,
        },
        handler,
      );
    } catch (error) {
      finish(error);
    }
  });
}
