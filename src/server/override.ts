// Where the worker timeout T comes from when there is no image to read it from (--url mode):
// --server-timeout, then the scenario's server.timeout, else the assumed default (./kinds.ts).

import type { ServerConfig } from '../result/types.js';
import type { Scenario } from '../scenario/types.js';
import { ASSUMED_TIMEOUT_S } from './kinds.js';

export function timeoutOverride(
  flagMs: number | undefined,
  scenario: Pick<Scenario, 'server'>,
): { ms: number; source: 'flag' | 'scenario' } | undefined {
  if (flagMs !== undefined) return { ms: flagMs, source: 'flag' };
  if (scenario.server.timeoutMs !== undefined) return { ms: scenario.server.timeoutMs, source: 'scenario' };
  return undefined;
}

export function urlTargetServer(
  override: { ms: number; source: 'flag' | 'scenario' } | undefined,
): ServerConfig {
  if (override) return { kind: 'unknown', timeoutS: override.ms / 1000, timeoutSource: override.source };
  return { kind: 'unknown', timeoutS: ASSUMED_TIMEOUT_S, timeoutSource: 'server-default' };
}
