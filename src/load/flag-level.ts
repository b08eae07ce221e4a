// The flag level of one request relative to the server's worker timeout T (docs/contract.md):
//   approaching  latency >= warnAt x T
//   critical     latency >= criticalAt x T
//   killed       no response and latency >= T (the server's log may also tie a kill to it later:
//                src/observe/correlate.ts upgrades such requests to killed)
// T = 0 means the server has no timeout: nothing to approach, nothing flagged.
import type { FlagLevel } from '../result/types.js';

export interface FlagThresholds {
  serverTimeoutMs: number;
  warnAt: number;
  criticalAt: number;
}

export function flagLevel(
  latencyMs: number,
  options: FlagThresholds & { responded: boolean },
): FlagLevel | undefined {
  const t = options.serverTimeoutMs;
  if (!(t > 0)) return undefined;
  if (!options.responded && latencyMs >= t) return 'killed';
  if (latencyMs >= options.criticalAt * t) return 'critical';
  if (latencyMs >= options.warnAt * t) return 'approaching';
  return undefined;
}

/** latency / T, rounded for reports (3 decimals). */
export function timeoutRatio(latencyMs: number, serverTimeoutMs: number): number {
  return serverTimeoutMs > 0 ? Math.round((latencyMs / serverTimeoutMs) * 1000) / 1000 : 0;
}
