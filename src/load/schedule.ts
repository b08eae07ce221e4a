// The open model's plan: when each request of a phase with `rate:` is meant to go out, whatever the
// server does. A phase is one or more steps of constant rate (a `ramp:` lists them; `rate:` with
// `duration:` or `amount:` is one step). Request i of a step at r/s is due i/r seconds after the
// step starts, so the plan is exact to the request: `rate: 50/s` for 10 s plans 500, never 95.
// Pure: the driver (open-model.ts) asks for offsets; the recorder and the verdict use the counts.
import type { LoadPhase } from '../scenario/types.js';

export interface ArrivalStep {
  /** Offset of the step's start from the phase's start, ms. */
  startMs: number;
  durationMs: number;
  ratePerSecond: number;
  /** Requests the step plans: round(rate x duration), or the phase's `amount`. */
  count: number;
}

export interface ArrivalSchedule {
  steps: ArrivalStep[];
  /** Requests planned over the whole phase. */
  total: number;
  /** How long the plan lasts, ms (the last step's end). */
  durationMs: number;
  /** The highest rate of any step, per second (sizes the connection cap). */
  peakRatePerSecond: number;
}

/** The phase's plan, or undefined for a closed-model phase (no rate: as fast as answers come). */
export function arrivalSchedule(phase: LoadPhase): ArrivalSchedule | undefined {
  const raw = phase.ramp ?? (phase.ratePerSecond === undefined ? [] : [stepOf(phase)]);
  if (raw.length === 0) return undefined;
  let startMs = 0;
  const steps: ArrivalStep[] = raw.map((s) => {
    const count =
      phase.amount !== undefined && phase.ramp === undefined
        ? phase.amount
        : Math.max(0, Math.round((s.ratePerSecond * s.durationMs) / 1000));
    const step = { startMs, durationMs: s.durationMs, ratePerSecond: s.ratePerSecond, count };
    startMs += s.durationMs;
    return step;
  });
  return {
    steps,
    total: steps.reduce((n, s) => n + s.count, 0),
    durationMs: startMs,
    peakRatePerSecond: Math.max(...steps.map((s) => s.ratePerSecond)),
  };
}

function stepOf(phase: LoadPhase): { durationMs: number; ratePerSecond: number } {
  const rate = phase.ratePerSecond as number;
  // `amount` at a rate: the plan lasts as long as the amount takes at that rate.
  const durationMs = phase.amount !== undefined ? (phase.amount / rate) * 1000 : (phase.durationMs ?? 0);
  return { durationMs, ratePerSecond: rate };
}

/** Every planned send offset (ms from the phase's start), in order. */
export function* arrivalOffsets(schedule: ArrivalSchedule): Generator<number> {
  for (const step of schedule.steps) {
    const gap = 1000 / step.ratePerSecond;
    for (let i = 0; i < step.count; i++) yield step.startMs + i * gap;
  }
}

/** The most connections a phase may open, by default: enough to hold the rate for the client timeout. */
export const MAX_CONNECTIONS_CAP = 1000;

/**
 * k6's arrival-rate executors add VUs up to `maxVUs`; we add connections up to `maxConnections`.
 * Default: as many as the peak rate needs if every request took the whole client timeout
 * (rate x timeout), never fewer than `connections`, and at most MAX_CONNECTIONS_CAP: past a thousand
 * sockets a laptop's client and the app's listen backlog are the bottleneck, not the app.
 */
export function defaultMaxConnections(
  schedule: ArrivalSchedule,
  connections: number,
  clientTimeoutMs: number,
): number {
  const holding = Math.ceil((schedule.peakRatePerSecond * clientTimeoutMs) / 1000);
  return Math.max(connections, Math.min(holding, MAX_CONNECTIONS_CAP));
}
