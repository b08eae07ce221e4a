// Stage 2, drive: the scenario's traffic (load phases and flows) against the target, recorded.
// It resolves with what was recorded however the traffic ended (done, Ctrl-C, a container's
// death, an error): a run that stops half way still reports the requests it made.
import { Recorder, type RecorderSnapshot, type Traffic } from '../load/recorder.js';
import { type FlowOutcome, type PhaseAccount, runTraffic } from '../load/traffic.js';
import type { Scenario } from '../scenario/types.js';
import { smallestLimitS } from '../server/chain.js';
import { clientTimeoutFor } from './client-timeout.js';
import type { Target } from './target.js';

export interface DriveOptions {
  /** Aborts on Ctrl-C and on a container's death (./stop-on-death.ts): the traffic stops at once. */
  signal: AbortSignal;
  seed?: number;
  mask: (text: string) => string;
  onProgress?: (snapshot: RecorderSnapshot, phase: string) => void;
}

export interface Driven {
  traffic: Traffic;
  flows: FlowOutcome[];
  phases: PhaseAccount[];
  /** Per-endpoint HDR histograms (compressed base64), for `compare` and merges. */
  histograms: Record<string, string>;
  /** The error that stopped the traffic early; absent when it ran to the end or was aborted. */
  failure?: unknown;
}

export async function drive(scenario: Scenario, target: Target, options: DriveOptions): Promise<Driven> {
  const serverTimeoutMs = target.server.timeoutS * 1000;
  const recorder = new Recorder({
    // The smallest limit any request could meet; ../observe/relevel.ts re-levels each one
    // against the limits of its own path.
    serverTimeoutMs: smallestLimitS(target.chain.chain) * 1000,
    warnAt: scenario.budgets.warnAt,
    criticalAt: scenario.budgets.criticalAt,
  });
  // The mocks' values (`{{pick tmdb.ids}}`) are read once: templates see one dataset.
  const values: Record<string, unknown> = {};
  for (const m of target.mocks) values[m.name] = m.values();
  let flows: FlowOutcome[] = [];
  let phases: PhaseAccount[] = [];
  let failure: unknown;
  try {
    const outcome = await runTraffic({
      baseUrl: target.trafficUrl ?? target.baseUrl,
      phases: scenario.load,
      flows: scenario.flows,
      values,
      recorder,
      signal: options.signal,
      seed: options.seed,
      clientTimeoutMs: clientTimeoutFor(serverTimeoutMs),
      mask: options.mask,
      onProgress: options.onProgress,
    });
    flows = outcome.flows;
    phases = outcome.phases;
  } catch (error) {
    failure = error;
  }
  return { traffic: recorder.finish(), flows, phases, histograms: recorder.encodedHistograms(), failure };
}
